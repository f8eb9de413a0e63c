/**
 * `POST [base]` with a transaction Bundle: recognises what kind of exchange it is by the resources
 * it carries (a document submission, or a measure) and hands it to that kind's handler.
 */
import { TransactionBundleSchema, type TransactionEntry } from '@mes-kit/core';
import type { Caller } from './auth.js';
import type { FhirContext } from './context.js';
import { documentSubmission } from './documents/provide.js';
import { measureSubmission } from './measures/write.js';
import { FhirError } from './outcome.js';
import { parseOr422 } from './validation.js';

/** One kind of transaction MES takes, recognised by the resources it carries. */
export interface TransactionKind {
  /** How a refusal names this kind to a service that sent something else. */
  description: string;
  /** The resource types this kind carries, each created by POST. */
  resourceTypes: readonly string[];
  handle(entries: TransactionEntry[], caller: Caller, ctx: FhirContext): Promise<Response>;
}

const KINDS: readonly TransactionKind[] = [documentSubmission, measureSubmission];

/**
 * The kind whose resources make up most of the transaction (the first listed, on a tie). Whatever
 * else it carries is refused by that kind's rule, with MES's own text, rather than taken for another
 * kind.
 */
function recognise(entries: TransactionEntry[]): TransactionKind {
  const entriesOf = (kind: TransactionKind) =>
    entries.filter((entry) => kind.resourceTypes.includes(entry.resource.resourceType)).length;
  const kind = KINDS.reduce<TransactionKind | undefined>(
    (best, candidate) => (entriesOf(candidate) > (best ? entriesOf(best) : 0) ? candidate : best),
    undefined,
  );
  if (kind) return kind;
  const carried = [...new Set(entries.map((entry) => entry.resource.resourceType))].join(', ');
  throw new FhirError(
    400,
    'not-supported',
    `A transaction carrying ${carried} is not supported by this sandbox; it takes ${KINDS.map((k) => k.description).join(', or ')}.`,
    { expression: 'Bundle.entry' },
  );
}

export async function handleTransaction(body: unknown, caller: Caller, ctx: FhirContext): Promise<Response> {
  if ((body as { resourceType?: unknown } | null)?.resourceType !== 'Bundle') {
    throw new FhirError(400, 'structure', 'Bundle not valid.', { expression: 'Bundle' });
  }
  const bundle = parseOr422(TransactionBundleSchema, body, 'Bundle');
  const kind = recognise(bundle.entry);
  bundle.entry.forEach((entry, i) => {
    if (!kind.resourceTypes.includes(entry.resource.resourceType) || entry.request.method !== 'POST') {
      throw new FhirError(
        422,
        'not-supported',
        `Resource of type ${entry.resource.resourceType} is not acceptable with method ${entry.request.method}.`,
        { expression: `Bundle.entry[${i}]` },
      );
    }
  });
  return kind.handle(bundle.entry, caller, ctx);
}
