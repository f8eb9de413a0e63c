/**
 * « Importer depuis Mon espace santé », first step: the patient's documents in MES (ITI-67), newest
 * first, one page per run; the next page starts from the previous one's `next`. Needs DOC_LECTURE:
 * without it, nothing is asked of MES.
 */
import * as z from 'zod/mini';
import { MES_CATEGORIES, typesOfCategory, type MesCategory } from '../documents/categories.js';
import { foundDocumentOf, shownToPatient, type FoundDocument } from '../documents/found.js';
import { titleMatches } from '../documents/title-search.js';
import { MesError, normalizeError } from '../errors.js';
import { errorFromResponse, parseResponse } from '../fhir/response.js';
import { requestSafeToRepeat } from '../fhir/retry.js';
import { IDPE_SYSTEM, ITI67_SEARCH_PARAMETERS } from '../fhir/systems.js';
import { READ_DOCUMENTS_FINALITY } from '../finalities.js';
import type { Operation, OperationContext } from './operation.js';

export interface FindDocumentsQuery {
  /** Only the documents MES files under this category (« Résultats de biologie »…). */
  category?: MesCategory;
  /** Only these document types (JDV_J07 or patient type codes). */
  type?: string[];
  /** Only documents dated on or after this day (`YYYY-MM-DD`). */
  from?: string;
  /** Only documents dated on or before this day (`YYYY-MM-DD`). */
  to?: string;
  /** Only titles holding every word of it, accents and case aside (MES has no title search: checked here). */
  text?: string;
  /** Page size (default 50, at most 100). */
  count?: number;
  /** Where the previous page left off: its `next`. The other fields are then those of the first page. */
  cursor?: string;
}

export interface FindDocumentsPage {
  /** How many documents match in MES (before `text`, which MES cannot apply). */
  total: number;
  documents: FoundDocument[];
  /** Entries MES sent that were malformed: left out, never shown. */
  skipped: number;
  /** The cursor of the next page; absent on the last. */
  next?: string;
}

const DAY = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const QuerySchema = z.object({
  category: z.optional(z.enum(MES_CATEGORIES)),
  type: z.optional(z.array(z.string().check(z.regex(/^[\w.-]{1,64}$/))).check(z.maxLength(50))),
  from: z.optional(DAY),
  to: z.optional(DAY),
  text: z.optional(z.string().check(z.maxLength(200))),
  count: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
  cursor: z.optional(z.string().check(z.maxLength(4000))),
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

/** Paging a cursor may carry, with the values a page of the query itself could have. */
const PAGING: Record<string, RegExp> = {
  _count: /^(?:[1-9]\d?|100)$/,
  _offset: /^\d{1,9}$/,
  _sort: /^-?date$/,
};

/**
 * The search to run: the first page's from the query, a later one's from MES's `next` link, of
 * which only ITI-67's own parameters are kept; the patient is always the session's, whatever a
 * cursor says.
 */
function searchOf(context: OperationContext, query: FindDocumentsQuery): URLSearchParams | undefined {
  const params = new URLSearchParams();
  if (query.cursor !== undefined) {
    for (const [key, value] of new URLSearchParams(query.cursor)) {
      // Own keys only: a link's `toString=…` is no paging parameter, and has no pattern to test.
      const paging = Object.hasOwn(PAGING, key);
      if (key.startsWith('patient') || !(ITI67_SEARCH_PARAMETERS.includes(key) || paging)) continue;
      if (paging && !PAGING[key].test(value)) continue;
      params.append(key, value);
    }
  } else {
    const types = query.category ? typesOfCategory(query.category) : undefined;
    const type = types && query.type ? types.filter((code) => query.type!.includes(code)) : (types ?? query.type);
    // A category and types that share nothing: no document can match, and MES need not be asked.
    if (type?.length === 0) return undefined;
    if (type) params.set('type', type.join(','));
    if (query.from) params.append('date', `ge${query.from}`);
    if (query.to) params.append('date', `le${query.to}`);
    params.set('_sort', '-date');
    params.set('_count', String(query.count ?? 50));
  }
  params.set('patient.identifier', `${IDPE_SYSTEM}|${context.session.idPe}`);
  params.set('status', 'current');
  return params;
}

const SearchsetSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('searchset'),
  total: z.optional(z.int().check(z.minimum(0))),
  link: z.optional(z.array(z.looseObject({ relation: z.string(), url: z.string() }))),
  entry: z.optional(z.array(z.looseObject({ resource: z.optional(z.unknown()) }))),
});

async function run(context: OperationContext, query: FindDocumentsQuery): Promise<FindDocumentsPage> {
  try {
    const params = searchOf(context, query);
    if (!params) return { total: 0, documents: [], skipped: 0 };
    const response = await requestSafeToRepeat(
      context.request,
      { method: 'GET', path: `DocumentReference?${params}` },
      { signal: context.signal, policy: context.retry },
    );
    if (!response.ok) throw await errorFromResponse(response);
    const bundle = await parseResponse(response, SearchsetSchema);
    // An OperationOutcome entry is MES's warning, not a document.
    const resources = (bundle.entry ?? [])
      .map((entry) => entry.resource)
      .filter((resource) => (resource as { resourceType?: unknown })?.resourceType !== 'OperationOutcome');
    // Each entry parsed once: malformed ones are skipped (and counted), hidden ones simply left out.
    const documents: FoundDocument[] = [];
    let skipped = 0;
    let hidden = 0;
    for (const resource of resources) {
      const document = foundDocumentOf(resource);
      if (!document) skipped++;
      else if (!shownToPatient(resource)) hidden++;
      else documents.push(document);
    }
    const next = bundle.link?.find((link) => link.relation === 'next')?.url;
    return {
      total: Math.max(0, (bundle.total ?? documents.length) - hidden),
      documents: query.text ? documents.filter((doc) => titleMatches(doc.title, query.text!)) : documents,
      skipped,
      ...(next !== undefined && { next: cursorOf(next) }),
    };
  } catch (error) {
    throw normalizeError(error, 'find-documents');
  }
}

/** A `next` link's query, which is all the next run needs (never a URL to follow as is). */
function cursorOf(link: string): string {
  const at = link.indexOf('?');
  return at < 0 ? '' : link.slice(at + 1);
}

export const findDocumentsOperation: Operation<FindDocumentsQuery, FindDocumentsPage> = {
  name: 'find-documents',
  finalities: () => [READ_DOCUMENTS_FINALITY],
  parse,
  run,
};
