/**
 * « Importer depuis Mon espace santé », first step: the patient's documents in MES (ITI-67), newest
 * first. Needs DOC_LECTURE: without it, nothing is asked of MES.
 */
import * as z from 'zod/mini';
import { MesError, normalizeError } from '../errors.js';
import { errorFromResponse, parseResponse } from '../fhir/response.js';
import { requestWithRetry } from '../fhir/retry.js';
import { IDPE_SYSTEM } from '../fhir/systems.js';
import { READ_DOCUMENTS_FINALITY } from '../finalities.js';
import type { Operation, OperationContext } from './operation.js';

export interface FindDocumentsQuery {
  /** JDV_J07 type codes to keep. */
  types?: string[];
  /** Only documents dated on or after this day (`YYYY-MM-DD`). */
  since?: string;
  /** Page size (default 20, at most 100). */
  count?: number;
}

export interface FoundDocument {
  /** The DocumentReference's id in MES. */
  id: string;
  title: string;
  type: { code: string; display?: string };
  date?: string;
  contentType: string;
  size?: number;
  /** Where ITI-68 retrieves the bytes. */
  url?: string;
}

export interface FindDocumentsResult {
  total: number;
  documents: FoundDocument[];
}

const QuerySchema = z.object({
  types: z.optional(z.array(z.string().check(z.regex(/^[\w.-]{1,64}$/))).check(z.maxLength(50))),
  since: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))),
  count: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
});

function parse(input: unknown): FindDocumentsQuery {
  const parsed = QuerySchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const field = parsed.error.issues[0]?.path[0];
  throw new MesError('MES_INVALID_INPUT', {
    operation: 'find-documents',
    field: typeof field === 'string' ? field : 'input',
  });
}

const Coding = z.looseObject({ code: z.optional(z.string()), display: z.optional(z.string()) });
const FoundSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('searchset'),
  total: z.optional(z.int()),
  entry: z.optional(
    z.array(
      z.looseObject({
        resource: z.looseObject({
          id: z.string(),
          date: z.optional(z.string()),
          type: z.optional(z.looseObject({ coding: z.optional(z.array(Coding)) })),
          content: z
            .array(
              z.looseObject({
                attachment: z.looseObject({
                  contentType: z.string(),
                  title: z.optional(z.string()),
                  size: z.optional(z.number()),
                  url: z.optional(z.string()),
                }),
              }),
            )
            .check(z.minLength(1)),
        }),
      }),
    ),
  ),
});

async function run(context: OperationContext, query: FindDocumentsQuery): Promise<FindDocumentsResult> {
  try {
    const params = new URLSearchParams({
      'patient.identifier': `${IDPE_SYSTEM}|${context.session.idPe}`,
      status: 'current',
      _sort: '-date',
      _count: String(query.count ?? 20),
    });
    if (query.types?.length) params.set('type', query.types.join(','));
    if (query.since) params.set('date', `ge${query.since}`);
    const response = await requestWithRetry(
      context.request,
      { method: 'GET', path: `DocumentReference?${params}` },
      { signal: context.signal, policy: context.retry },
    );
    if (!response.ok) throw await errorFromResponse(response);
    const bundle = await parseResponse(response, FoundSchema);
    const documents = (bundle.entry ?? []).map(({ resource }): FoundDocument => {
      const attachment = resource.content[0].attachment;
      const type = resource.type?.coding?.[0];
      return {
        id: resource.id,
        title: attachment.title ?? type?.display ?? '',
        type: { code: type?.code ?? '', display: type?.display },
        date: resource.date,
        contentType: attachment.contentType,
        size: attachment.size,
        url: attachment.url,
      };
    });
    return { total: bundle.total ?? documents.length, documents };
  } catch (error) {
    throw normalizeError(error, 'find-documents');
  }
}

export const findDocumentsOperation: Operation<FindDocumentsQuery, FindDocumentsResult> = {
  name: 'find-documents',
  finality: READ_DOCUMENTS_FINALITY,
  parse,
  run,
};
