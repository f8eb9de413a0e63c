/** Updating a sent document's metadata (visibility, archive, status), PDSm flux 03/04: a JSON Patch, checked op by op. */
import {
  DocumentReferenceSchema,
  IS_ARCHIVED_EXTENSION,
  SEND_DOCUMENT_FINALITY,
  type FhirResource,
} from '@mes-kit/core';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { requireFinality, type Caller } from '../auth.js';
import { MAX_DEPTH, PROTOTYPE_KEYS, depthOf, readJsonBody } from '../body.js';
import type { FhirContext } from '../context.js';
import { FhirError, fhirJson, invalid } from '../outcome.js';
import { identifierCondition } from '../search.js';
import { parseOr422 } from '../validation.js';
import { nextVersion } from '../versions.js';
import { present } from './common.js';

const isArchived = (extension: unknown) => (extension as { url?: unknown } | undefined)?.url === IS_ARCHIVED_EXTENSION;

/** Whether a JSON Patch operation touches only what PDSm lets a producer change. */
function isAllowedChange(op: Operation, extensions: unknown[]): boolean {
  const { path } = op;
  if ('from' in op || typeof path !== 'string') return false;
  if (path === '/status' || path === '/securityLabel' || path.startsWith('/securityLabel/')) return true;
  const value = (op as { value?: unknown }).value;
  if (path === '/extension') {
    return extensions.every(isArchived) && (op.op === 'remove' || (Array.isArray(value) && value.every(isArchived)));
  }
  const [, index, rest] = /^\/extension\/(\d+|-)(\/.*)?$/.exec(path) ?? [];
  if (index === undefined) return false;
  if (index === '-' || (op.op === 'add' && rest === undefined)) return isArchived(value);
  if (!isArchived(extensions[Number(index)])) return false;
  if (rest === undefined) return op.op === 'remove' || isArchived(value);
  return rest === '/valueBoolean' && op.op !== 'remove';
}

const OPERATION = /^(add|remove|replace|test|move|copy)$/;
/** A JSON Patch holds a few operations on a few elements. */
const PATCH_BODY_LIMIT = 64 * 1024;

/** A JSON Pointer as the FHIRPath an OperationOutcome names: `/securityLabel/0` → `DocumentReference.securityLabel[0]`. */
const pointerPath = (segments: string[]) =>
  segments.reduce((path, s) => (/^(\d+|-)$/.test(s) ? `${path}[${s}]` : `${path}.${s}`), 'DocumentReference');

/** Conditional PATCH of a document's metadata: status, securityLabel and isArchived only (PDSm flux 03/04). */
export async function patchDocument(url: URL, request: Request, caller: Caller, ctx: FhirContext) {
  requireFinality(caller, SEND_DOCUMENT_FINALITY);
  const { system, value } = identifierCondition(url.searchParams, 'identifier');
  const operations = await readJsonBody(request, {
    mediaTypes: ['application/json-patch+json'],
    limit: PATCH_BODY_LIMIT,
  });
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new FhirError(400, 'structure', 'The body must be a non-empty JSON Patch array.');
  }
  const entry = ctx.store.findByIdentifier(caller.persona.key, 'DocumentReference', system, value);
  if (!entry) throw new FhirError(404, 'not-found', 'No document of this patient has this identifier.');
  // Each operation is checked against the document as the previous ones left it: indices shift.
  let patched: FhirResource = structuredClone(entry.resource);
  for (const [i, op] of (operations as unknown[]).entries()) {
    const { op: kind, path } = (op ?? {}) as { op?: unknown; path?: unknown };
    if (typeof path !== 'string' || typeof kind !== 'string' || !OPERATION.test(kind)) {
      throw new FhirError(400, 'structure', `operation ${i} is not a JSON Patch operation.`);
    }
    const operation = op as Operation;
    // A pointer through these would write to Object.prototype: every later request would inherit it.
    const segments = path
      .split('/')
      .slice(1)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    const forbidden = segments.findIndex((s) => PROTOTYPE_KEYS.has(s));
    if (forbidden >= 0) {
      throw new FhirError(400, 'structure', `operation ${i}: ${segments[forbidden]} is not an element of a resource.`, {
        expression: pointerPath(segments.slice(0, forbidden + 1)),
      });
    }
    if (!isAllowedChange(operation, (patched['extension'] as unknown[] | undefined) ?? [])) {
      throw new FhirError(
        405,
        'not-supported',
        `operation ${i}: only status, securityLabel and the isArchived extension may change.`,
        {
          expression: pointerPath(segments),
        },
      );
    }
    try {
      patched = jsonPatch.applyOperation(patched, operation, true, true, true).newDocument;
    } catch (error) {
      throw new FhirError(422, 'processing', `operation ${i} cannot be applied: ${(error as Error).name}.`);
    }
  }
  if (depthOf(patched) > MAX_DEPTH) {
    throw invalid('DocumentReference', `The patched DocumentReference would be nested deeper than ${MAX_DEPTH}.`);
  }
  const doc = parseOr422(DocumentReferenceSchema, patched, 'DocumentReference');
  const updated = nextVersion(entry, doc, ctx.now());
  ctx.store.put(updated);
  return fhirJson(present(updated, ctx), 200, { etag: `W/"${updated.versionId}"` });
}
