/**
 * Reading a request body as MES takes it: only the JSON media types it accepts (415 otherwise),
 * no larger than the route allows (413), nested no deeper than any FHIR resource is (422, seen while
 * the bytes arrive, before anything parses or walks them), and parsed into objects without a
 * prototype, so that nothing inherited is ever read from, or copied out of, what a client sent.
 */
import { nestingScanner } from '@mes-kit/core';
import { FhirError } from './outcome.js';

/** Far deeper than any resource MES takes; recursive walks (structuredClone, validators) stay safe below it. */
export const MAX_DEPTH = 100;

export const FHIR_MEDIA_TYPES = ['application/fhir+json', 'application/json'] as const;

/** A property name that reaches an object's prototype when assigned. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** What a route accepts: its media types, its largest body, and the resource it expects (named in refusals). */
export interface BodyRules {
  mediaTypes: readonly string[];
  limit: number;
  resource?: string;
}

const tooDeep = (resource: string | undefined) =>
  new FhirError(422, 'structure', `${resource ?? 'The body'} is nested deeper than ${MAX_DEPTH}.`, {
    expression: resource,
  });

/** 415 unless the body is one of the media types, with a charset of UTF-8 if one is given. */
function checkMediaType(request: Request, mediaTypes: readonly string[]) {
  const [type = '', ...parameters] = (request.headers.get('content-type') ?? '').split(';').map((p) => p.trim());
  const charset = parameters.find((p) => /^charset=/i.test(p))?.slice('charset='.length);
  if (!mediaTypes.includes(type.toLowerCase()) || (charset !== undefined && !/^"?utf-8"?$/i.test(charset))) {
    throw new FhirError(
      415,
      'not-supported',
      `The body must be ${mediaTypes.join(' or ')} (UTF-8); ${type || 'no content type'} is not accepted.`,
    );
  }
}

/** Objects without a prototype: a key named `__proto__` is then an ordinary (meaningless) property. */
function withoutPrototype(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) Object.setPrototypeOf(value, null);
  return value;
}

/** The body parsed as JSON under the route's rules; the stream is read no further than they allow. */
export async function readJsonBody(request: Request, rules: BodyRules): Promise<unknown> {
  checkMediaType(request, rules.mediaTypes);
  const tooLarge = () =>
    new FhirError(413, 'too-costly', `The body is larger than this interaction accepts (${rules.limit} bytes).`);
  if (Number(request.headers.get('content-length') ?? 0) > rules.limit) throw tooLarge();
  const tooDeepSoFar = nestingScanner(MAX_DEPTH);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        size += chunk.value.length;
        if (size > rules.limit) throw tooLarge();
        if (tooDeepSoFar(chunk.value)) throw tooDeep(rules.resource);
        chunks.push(chunk.value);
      }
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      // Otherwise the client went away mid-body: nobody reads the answer, which must not be a 500.
      throw error instanceof FhirError ? error : new FhirError(400, 'incomplete', 'The body could not be read.');
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes), withoutPrototype) as unknown;
  } catch {
    throw new FhirError(400, 'structure', 'The body is not valid JSON.', { expression: rules.resource });
  }
}

/** How deep a value is nested (objects and arrays), counted no further than `MAX_DEPTH + 1`. */
export function depthOf(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    deepest = Math.max(deepest, depth);
    if (depth > MAX_DEPTH) break;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}
