/**
 * ITI-67 Find Document References: `patient` or `patient.identifier`, and `status`, are required;
 * `identifier`, `type`, `category`, `date`, `period`, `_sort`, `_count` and paging by `_offset`.
 */
import { ITI67_SEARCH_PARAMETERS, type DocumentReference } from '@mes-kit/core';
import { personaByIdentifier, personaByIdPe } from '../personas.js';
import { idPeMismatch, requireFinality, type Caller } from './auth.js';
import type { FhirContext } from './context.js';
import { READ, present } from './documents.js';
import { FhirError, fhirJson } from './outcome.js';

const DEFAULT_COUNT = 20;
const MAX_COUNT = 100;
const KNOWN = new Set([...ITI67_SEARCH_PARAMETERS, '_format']);

const badRequest = (parameter: string, diagnostics: string) =>
  new FhirError(400, 'invalid', diagnostics, { expression: parameter });

function splitToken(token: string): { system?: string; code: string } {
  const bar = token.indexOf('|');
  return bar < 0 ? { code: token } : { system: token.slice(0, bar) || undefined, code: token.slice(bar + 1) };
}

/** Does any `system|code` (or bare `code`) of a comma-separated search value match the codings? */
function matchesToken(values: string, codings: { system?: string; code?: string; value?: string }[]): boolean {
  return values.split(',').some((value) => {
    const { system, code } = splitToken(value);
    return codings.some((c) => (c.code ?? c.value) === code && (system === undefined || c.system === system));
  });
}

/** The instant range a FHIR date search value covers, by its precision (`2024`, `2024-03`, `2024-03-12`, or a dateTime). */
function rangeOf(value: string): [number, number] | undefined {
  const parts = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/.exec(value);
  if (parts) {
    const [, y, m, d] = parts;
    const start = Date.UTC(Number(y), m ? Number(m) - 1 : 0, d ? Number(d) : 1);
    const end = d
      ? Date.UTC(Number(y), Number(m) - 1, Number(d) + 1)
      : m
        ? Date.UTC(Number(y), Number(m), 1)
        : Date.UTC(Number(y) + 1, 0, 1);
    return [start, end];
  }
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? undefined : [instant, instant + 1000];
}

function dateFilter(parameter: string, raw: string): (instant: number) => boolean {
  const [, prefix = 'eq', value = ''] = /^(eq|ne|gt|lt|ge|le)?(.*)$/.exec(raw) ?? [];
  const range = rangeOf(value);
  if (!range) throw badRequest(parameter, `${parameter}: ${raw} is not a FHIR date.`);
  const [start, end] = range;
  const tests: Record<string, (t: number) => boolean> = {
    eq: (t) => t >= start && t < end,
    ne: (t) => t < start || t >= end,
    gt: (t) => t >= end,
    ge: (t) => t >= start,
    lt: (t) => t < start,
    le: (t) => t < end,
  };
  return tests[prefix];
}

export function searchDocuments(url: URL, caller: Caller, ctx: FhirContext): Response {
  requireFinality(caller, READ);
  const params = url.searchParams;
  const unknown = [...new Set(params.keys())].filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) throw badRequest(unknown[0], `Unknown search parameter(s): ${unknown.join(', ')}.`);

  const patientIdentifier = params.get('patient.identifier');
  const patientReference = params.get('patient');
  const status = params.get('status');
  if ((!patientIdentifier && !patientReference) || !status) {
    throw badRequest(status ? 'patient' : 'status', 'ITI-67 requires patient (or patient.identifier) and status.');
  }
  const token = patientIdentifier && splitToken(patientIdentifier);
  const patient = token
    ? personaByIdentifier({ system: token.system, value: token.code })
    : personaByIdPe(patientReference!.replace(/^Patient\//, ''));
  if (patient?.key !== caller.persona.key) throw idPeMismatch(patientIdentifier ? 'patient.identifier' : 'patient');

  const count = Number(params.get('_count') ?? DEFAULT_COUNT);
  if (!Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
    throw badRequest('_count', `Maximum page size allowed is ${MAX_COUNT}. Actual : ${params.get('_count')}`);
  }
  const offset = Number(params.get('_offset') ?? 0);
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('_offset', '_offset must be a non-negative integer.');
  const sort = params.get('_sort') ?? '-date';
  if (sort !== 'date' && sort !== '-date') throw badRequest('_sort', '_sort must be date or -date.');

  const filters: ((doc: DocumentReference) => boolean)[] = [(doc) => status.split(',').includes(doc.status)];
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

  const direction = sort === 'date' ? 1 : -1;
  const matches = ctx.store
    .list(caller.persona.key, 'DocumentReference')
    .filter((entry) => filters.every((test) => test(entry.resource as DocumentReference)))
    .sort((a, b) => direction * (dateOf(a.resource as DocumentReference) - dateOf(b.resource as DocumentReference)));
  const page = matches.slice(offset, offset + count);

  const linkTo = (pageOffset: number) => {
    const next = new URL(`${ctx.fhirBase}/DocumentReference`);
    for (const [key, value] of params) if (key !== '_offset') next.searchParams.append(key, value);
    next.searchParams.set('_offset', String(pageOffset));
    return next.href;
  };
  const link = [{ relation: 'self', url: linkTo(offset) }];
  // _count=0 asks for the total only.
  if (count > 0 && offset + count < matches.length) link.push({ relation: 'next', url: linkTo(offset + count) });
  if (offset > 0) link.push({ relation: 'previous', url: linkTo(Math.max(0, offset - count)) });

  return fhirJson({
    resourceType: 'Bundle',
    type: 'searchset',
    total: matches.length,
    link,
    entry: page.map((entry) => ({
      fullUrl: `${ctx.fhirBase}/DocumentReference/${entry.id}`,
      resource: present(entry, ctx),
      search: { mode: 'match' },
    })),
  });
}

function dateOf(doc: DocumentReference): number {
  return Date.parse(doc.date ?? doc.content[0]?.attachment.creation ?? '') || 0;
}
