/** An instant with its timezone, as MES's dates are: a date alone, or a local time, means nothing. */
import * as z from 'zod/mini';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant with its timezone, and a real one (not the 31st of November). */
export const InstantString = z.string().check(
  z.regex(INSTANT),
  z.refine((value) => !Number.isNaN(Date.parse(value))),
);

/** As given, timezone kept, with its seconds (a FHIR instant has them); a `Date` in UTC. */
export const fhirInstant = (value: Date | string) =>
  typeof value === 'string'
    ? value.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?=Z|[+-])/, '$1:00')
    : value.toISOString();
