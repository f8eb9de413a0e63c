/** What a host gives the kit, checked alike everywhere: a line of text, and its own id for a thing. */
import * as z from 'zod/mini';

/** Trimmed, not empty, at most `max` characters. */
export const Line = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** The host's own id (an appointment's, a reading's): printable, no spaces, short enough for an identifier value. */
export const HostId = z.string().check(z.regex(/^[\w.:/-]{1,64}$/));
