/**
 * Documents as MES lists them, as many as a story or a test needs, and a stand-in gateway that
 * lists them page by page the way `findDocuments` pages: for the picker at 10,000 documents, and
 * for the states the sandbox's 13 documents cannot show. Browser-safe: no server, no sandbox.
 */
import {
  MES_CATEGORIES,
  MesError,
  type FindDocumentsPage,
  type FindDocumentsQuery,
  type FoundDocument,
  type MesCategory,
  type RunnableOperation,
} from '@mes-kit/core';
import { fakeGateway, type FakeGateway, type FakeGatewayOptions } from './fake-gateway.js';

const TITLES: [string, MesCategory, string][] = [
  ['Compte rendu de consultation', 'CPT_REND', '11488-4'],
  ['Résultats de biologie', 'BIOLOGIE', '11502-2'],
  ['Ordonnance', 'ORD_SOIN', '57833-6'],
  ['Compte rendu d’imagerie', 'RADIO_SC', '18748-4'],
  ['Certificat médical', 'CERT_MED', '89601-9'],
  ['Synthèse médicale', 'SYNTHESE', '60591-5'],
  ['Lettre de liaison', 'CPT_REND', '11490-0'],
  ['Attestation', 'DOC_ADM', '51851-4'],
];
const AUTHORS = ['Dr Sophie Leclerc', 'Laboratoire des Tilleuls', 'Dr Paul Girard', 'Centre d’imagerie Lumière'];
const DAY = 86_400_000;

/** `count` documents, newest first from `latest`, their titles numbered so that each can be found. */
export function generateDocuments(count: number, latest = Date.UTC(2026, 5, 30, 9)): FoundDocument[] {
  return Array.from({ length: count }, (_, i) => {
    const [title, category, type] = TITLES[i % TITLES.length];
    return {
      id: `doc-${i + 1}`,
      title: `${title} n° ${i + 1}`,
      type: { code: type },
      category,
      date: new Date(latest - i * DAY).toISOString(),
      author: { kind: 'professional', name: AUTHORS[i % AUTHORS.length] },
      confidentiality: 'N',
      contentType: 'application/pdf',
      size: 1024,
      hash: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    };
  });
}

export interface ListingGatewayOptions extends FakeGatewayOptions {
  /** Waited for before each page (a slow MES), with the page's number from 0. */
  beforePage?: (index: number) => Promise<void>;
  /** What `retrieve-document` answers (default: the host does not let bytes reach the page). */
  retrieve?: (document: FoundDocument) => Promise<unknown>;
}

/**
 * A stand-in gateway, paired for reading by default, that lists `documents` as MES would: filtered
 * by category and dates, newest first, `count` at a time, the next page from the previous one's cursor.
 */
export function listingGateway(documents: FoundDocument[], options: ListingGatewayOptions = {}): FakeGateway {
  let pages = 0;
  const run = async (name: RunnableOperation, input: unknown): Promise<unknown> => {
    if (name === 'find-documents') {
      await options.beforePage?.(pages++);
      return pageOf(documents, input as FindDocumentsQuery);
    }
    if (name === 'retrieve-document') {
      const { id } = input as { id: string };
      const document = documents.find((doc) => doc.id === id)!;
      if (options.retrieve) return options.retrieve(document);
      throw new MesError('MES_INVALID_INPUT', { operation: 'retrieve-document', field: 'deliver' });
    }
    throw new Error(`unexpected operation ${name}`);
  };
  return fakeGateway({ paired: ['DOC_LECTURE'], run, ...options });
}

/** One page, as core's find-documents answers it; the cursor holds the filters, as MES's `next` link does. */
function pageOf(documents: FoundDocument[], query: FindDocumentsQuery): FindDocumentsPage {
  const cursor = new URLSearchParams(query.cursor ?? '');
  const category = (cursor.get('category') ?? query.category) as MesCategory | undefined;
  const from = cursor.get('from') ?? query.from;
  const to = cursor.get('to') ?? query.to;
  const count = Number(cursor.get('_count') ?? query.count ?? 50);
  const offset = Number(cursor.get('_offset') ?? 0);
  const matching = documents.filter(
    (doc) =>
      (!category || !MES_CATEGORIES.includes(category) || doc.category === category) &&
      (!from || (doc.date ?? '') >= from) &&
      (!to || (doc.date ?? '').slice(0, 10) <= to),
  );
  const end = offset + count;
  const next = new URLSearchParams({
    ...(category && { category }),
    ...(from && { from }),
    ...(to && { to }),
    _count: String(count),
    _offset: String(end),
  });
  return {
    total: matching.length,
    documents: matching.slice(offset, end),
    skipped: 0,
    ...(end < matching.length && { next: next.toString() }),
  };
}
