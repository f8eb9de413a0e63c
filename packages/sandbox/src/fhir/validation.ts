import type * as z from 'zod/mini';
import { invalid } from './outcome.js';

/** `['content', 0, 'attachment']` → `content[0].attachment`, the FHIRPath an OperationOutcome names. */
export function fhirPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (expression, key) => (typeof key === 'number' ? `${expression}[${key}]` : `${expression}.${String(key)}`),
    prefix,
  );
}

function describe(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? 'is required' : `must be of type ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array' ? `must have at least ${String(issue.minimum)} item(s)` : 'must not be empty';
    case 'too_big':
      return `must have at most ${String(issue.maximum)} item(s)`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return `is not a valid ${issue.format}`;
    default:
      return 'is not valid';
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    root,
  );
}

/** Parses with a schema, or throws a 422 that names the first wrong element. */
export function parseOr422<S extends z.ZodMiniType>(schema: S, value: unknown, prefix: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const expression = fhirPath(prefix, issue.path);
  throw invalid(expression, `${expression} ${describe(issue, valueAt(value, issue.path))}.`);
}
