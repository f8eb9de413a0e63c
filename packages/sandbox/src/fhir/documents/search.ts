/**
 * ITI-67 Find Document References: `patient` or `patient.identifier`, and `status`, are required;
 * `identifier`, `type`, `category`, `date`, `period`, `_sort`, `_count` and paging by `_offset`.
 */
import { ITI67_SEARCH_PARAMETERS, READ_DOCUMENTS_FINALITY, type DocumentReference } from '@mes-kit/core';
import { personaByIdentifier, personaByIdPe } from '../../personas.js';
import { idPeMismatch, requireFinality, type Caller } from '../auth.js';
import type { FhirContext } from '../context.js';
import { fhirJson } from '../outcome.js';
import {
  dateFilter,
  matchesToken,
  parseCount,
  parseOffset,
  parseSort,
  parseToken,
  rejectUnknownParameters,
  searchError,
  searchsetPage,
} from '../search.js';
import { hiddenFromPatient, present } from './common.js';

const PAGE_SIZE = { byDefault: 20, max: 100 };
const KNOWN = new Set([...ITI67_SEARCH_PARAMETERS, '_format']);

export function searchDocuments(url: URL, caller: Caller, ctx: FhirContext): Response {
  requireFinality(caller, READ_DOCUMENTS_FINALITY);
  const params = url.searchParams;
  rejectUnknownParameters(params, KNOWN);

  const patientIdentifier = params.get('patient.identifier');
  const patientReference = params.get('patient');
  const status = params.get('status');
  if ((!patientIdentifier && !patientReference) || !status) {
    throw searchError(status ? 'patient' : 'status', 'ITI-67 requires patient (or patient.identifier) and status.');
  }
  const token = patientIdentifier && parseToken(patientIdentifier);
  const patient = token
    ? personaByIdentifier({ system: token.system, value: token.code })
    : personaByIdPe(patientReference!.replace(/^Patient\//, ''));
  if (patient?.key !== caller.persona.key) throw idPeMismatch(patientIdentifier ? 'patient.identifier' : 'patient');

  const count = parseCount(params, PAGE_SIZE);
  const offset = parseOffset(params);
  const { direction } = parseSort(params, ['date'], '-date');

  const filters: ((doc: DocumentReference) => boolean)[] = [
    (doc) => status.split(',').includes(doc.status),
    (doc) => !hiddenFromPatient(doc),
  ];
  const identifier = params.get('identifier');
  if (identifier) {
    filters.push((doc) => matchesToken(identifier, [doc.masterIdentifier, ...(doc.identifier ?? [])]));
  }
  const type = params.get('type');
  if (type) filters.push((doc) => matchesToken(type, doc.type.coding));
  const category = params.get('category');
  if (category)
    filters.push((doc) =>
      matchesToken(
        category,
        doc.category.flatMap((c) => c.coding),
      ),
    );
  for (const raw of params.getAll('date')) {
    const test = dateFilter('date', raw);
    filters.push((doc) => doc.date !== undefined && test(Date.parse(doc.date)));
  }
  for (const raw of params.getAll('period')) {
    const test = dateFilter('period', raw);
    filters.push((doc) => doc.context?.period?.start !== undefined && test(Date.parse(doc.context.period.start)));
  }

  const matches = ctx.store
    .list(caller.persona.key, 'DocumentReference')
    .filter((entry) => filters.every((test) => test(entry.resource as DocumentReference)))
    .map((entry) => ({ entry, date: dateOf(entry.resource as DocumentReference) }))
    .sort((a, b) => direction * (a.date - b.date))
    .map(({ entry }) => entry);
  const page = matches.slice(offset, offset + count);

  return fhirJson(
    searchsetPage(`${ctx.fhirBase}/DocumentReference`, params, {
      total: matches.length,
      offset,
      count,
      entries: page.map((entry) => ({
        fullUrl: `${ctx.fhirBase}/DocumentReference/${entry.id}`,
        resource: present(entry, ctx),
      })),
    }),
  );
}

function dateOf(doc: DocumentReference): number {
  return Date.parse(doc.date ?? doc.content[0]?.attachment.creation ?? '') || 0;
}
