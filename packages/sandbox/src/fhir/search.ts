/**
 * Search parameters as every search of the sandbox reads them (documents, measures, appointments):
 * tokens, dates, `_count`, `_sort`, `_offset`, and which parameters a search knows. A value that
 * cannot be read is a 400 naming the parameter; conditional identifiers (`ifNoneExist`, a
 * conditional PATCH) are read here too, as the search syntax they are.
 */
import { FhirError, invalid } from './outcome.js';

export const searchError = (parameter: string, diagnostics: string) =>
  new FhirError(400, 'invalid', diagnostics, { expression: parameter });

export function rejectUnknownParameters(params: URLSearchParams, known: ReadonlySet<string>): void {
  const unknown = [...new Set(params.keys())].filter((key) => !known.has(key));
  if (unknown.length > 0) throw searchError(unknown[0], `Unknown search parameter(s): ${unknown.join(', ')}.`);
}

/** `system|code`, `|code` (no system) or a bare `code` (any system). */
export function parseToken(token: string): { system?: string; code: string } {
  const bar = token.indexOf('|');
  return bar < 0 ? { code: token } : { system: token.slice(0, bar) || undefined, code: token.slice(bar + 1) };
}

/**
 * Does any `system|code`, `system|` (any code in that system), `|code` or bare `code` (any system)
 * of a comma-separated search value match the codings or identifiers?
 */
export function matchesToken(values: string, codings: { system?: string; code?: string; value?: string }[]): boolean {
  return values.split(',').some((value) => {
    const { system, code } = parseToken(value);
    return codings.some(
      (c) => (code === '' || (c.code ?? c.value) === code) && (system === undefined || c.system === system),
    );
  });
}

/** `identifier=<system>|<value>`, both required: the condition of a conditional create or PATCH (422 otherwise). */
export function identifierCondition(
  query: string | URLSearchParams,
  expression: string,
): { system: string; value: string } {
  const { system, code } = parseToken(new URLSearchParams(query).get('identifier') ?? '');
  if (!system || !code) throw invalid(expression, `${expression} must be identifier=<system>|<value>.`);
  return { system, value: code };
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

/** A date search value (`ge2024-03`, `2024-03-12`…) as a test on an instant (epoch milliseconds). */
export function dateFilter(parameter: string, raw: string): (instant: number) => boolean {
  const [, prefix = 'eq', value = ''] = /^(eq|ne|gt|lt|ge|le)?(.*)$/.exec(raw) ?? [];
  const range = rangeOf(value);
  if (!range) throw searchError(parameter, `${parameter}: ${raw} is not a FHIR date.`);
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

/** The page size asked for, with MES's own refusal above the maximum. */
export function parseCount(params: URLSearchParams, limits: { byDefault: number; max: number }): number {
  const count = Number(params.get('_count') ?? limits.byDefault);
  if (!Number.isInteger(count) || count < 0 || count > limits.max) {
    throw searchError('_count', `Maximum page size allowed is ${limits.max}. Actual : ${params.get('_count')}`);
  }
  return count;
}

/** `_offset`, a non-negative integer (what it counts, results or pages, is the search's own rule). */
export function parseOffset(params: URLSearchParams): number {
  const offset = Number(params.get('_offset') ?? 0);
  if (!Number.isInteger(offset) || offset < 0) throw searchError('_offset', '_offset must be a non-negative integer.');
  return offset;
}

/** `_sort` on one of `fields`, ascending (`direction` 1) or, with a leading `-`, descending (-1). */
export function parseSort(
  params: URLSearchParams,
  fields: readonly string[],
  byDefault: string,
): { field: string; direction: 1 | -1 } {
  const sort = params.get('_sort') ?? byDefault;
  const field = sort.replace(/^-/, '');
  if (!fields.includes(field)) {
    const accepted = fields.flatMap((f) => [f, `-${f}`]);
    throw searchError('_sort', `_sort must be ${accepted.slice(0, -1).join(', ')} or ${accepted.at(-1)}.`);
  }
  return { field, direction: sort.startsWith('-') ? -1 : 1 };
}

interface SearchsetEntry {
  fullUrl: string;
  resource: unknown;
}

/**
 * One page of a search as a `searchset` Bundle: the total, `self`, `next` and `previous` links that
 * keep the query, each entry in search mode `match`, then what `_include` added in mode `include`
 * (not counted in the total). `_offset` counts results, or pages (MES's Observation search); a
 * search that is not paged (MES's last measure) links to itself only, as asked.
 */
export function searchsetPage(
  endpoint: string,
  params: URLSearchParams,
  page: {
    total: number;
    offset: number;
    count: number;
    entries: SearchsetEntry[];
    included?: SearchsetEntry[];
    offsetCounts?: 'results' | 'pages' | 'nothing';
  },
) {
  const { total, offset, count, entries, included = [], offsetCounts = 'results' } = page;
  const linkTo = (pageOffset?: number) => {
    const url = new URL(endpoint);
    for (const [key, value] of params) if (key !== '_offset') url.searchParams.append(key, value);
    if (pageOffset !== undefined) url.searchParams.set('_offset', String(pageOffset));
    return url.href;
  };
  const link = [{ relation: 'self', url: linkTo(offsetCounts === 'nothing' ? undefined : offset) }];
  if (offsetCounts !== 'nothing') {
    const step = offsetCounts === 'pages' ? 1 : count;
    const firstResult = offsetCounts === 'pages' ? offset * count : offset;
    // _count=0 asks for the total only.
    if (count > 0 && firstResult + count < total) link.push({ relation: 'next', url: linkTo(offset + step) });
    if (offset > 0) link.push({ relation: 'previous', url: linkTo(Math.max(0, offset - step)) });
  }
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link,
    entry: [
      ...entries.map((entry) => ({ ...entry, search: { mode: 'match' } })),
      ...included.map((entry) => ({ ...entry, search: { mode: 'include' } })),
    ],
  };
}
