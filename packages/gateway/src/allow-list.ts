import { ITI67_SEARCH_PARAMETERS } from '@mes-kit/core';

/**
 * The FHIR interactions the gateway lets a browser make on MES, and nothing else: a page (or an
 * attacker's script in it) cannot use the patient's tokens for anything the kit does not do.
 */

export interface Interaction {
  method: string;
  /** FHIR path below the base, without the query: '', 'DocumentReference', 'Binary/123'. */
  path: string;
  /** The names of the query parameters. */
  query?: string[];
  /** For a transaction: `Bundle.type`, and the resource type, method and URL of each entry. */
  bundleType?: string;
  entries?: { resourceType: string; method: string; url: string }[];
}

/** Resource types a transaction may carry: an ITI-65 document submission. */
const TRANSACTION_TYPES = new Set(['List', 'DocumentReference', 'Binary']);
const ID = '[A-Za-z0-9\\-.]{1,64}';
/** ITI-67's parameters; nothing like `_include`, `_revinclude`, `_has` or `_elements`. */
const SEARCH_PARAMETERS = new Set(ITI67_SEARCH_PARAMETERS);
const RULES: { method: string; path: RegExp; query?: Set<string> }[] = [
  { method: 'GET', path: /^DocumentReference$/, query: SEARCH_PARAMETERS },
  { method: 'GET', path: new RegExp(`^DocumentReference/${ID}$`) },
  { method: 'GET', path: new RegExp(`^Binary/${ID}$`) },
  { method: 'POST', path: /^DocumentReference$/ },
];

/** A short name for the audit log, e.g. `ITI-65 transaction` or `GET DocumentReference`. */
export function describeInteraction(interaction: Interaction): string {
  if (interaction.path === '') return 'ITI-65 transaction';
  return `${interaction.method} ${interaction.path.replace(new RegExp(`/${ID}$`), '/{id}')}`;
}

export function isAllowed(interaction: Interaction): boolean {
  const query = interaction.query ?? [];
  if (interaction.path === '') {
    return (
      interaction.method === 'POST' &&
      query.length === 0 &&
      interaction.bundleType === 'transaction' &&
      !!interaction.entries?.length &&
      interaction.entries.every(
        (e) => e.method === 'POST' && TRANSACTION_TYPES.has(e.resourceType) && e.url === e.resourceType,
      )
    );
  }
  return RULES.some(
    (rule) =>
      rule.method === interaction.method &&
      rule.path.test(interaction.path) &&
      query.every((name) => rule.query?.has(name) ?? false),
  );
}
