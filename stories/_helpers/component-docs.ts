/**
 * A component's docs page from `custom-elements.json`: its summary, and a table of its public
 * properties (with their attributes), events, slots, tokens, parts and custom states — Storybook's
 * own reading of the manifest shows neither the states nor the summary, and lists private fields.
 */
import type { ArgTypes } from '@storybook/web-components-vite';
import manifest from '../../packages/elements/custom-elements.json';

interface Item {
  name: string;
  description?: string;
  summary?: string;
  kind?: string;
  privacy?: string;
  static?: boolean;
  attribute?: string;
  default?: string;
  type?: { text: string };
}

interface Declaration {
  tagName?: string;
  summary?: string;
  description?: string;
  members?: Item[];
  events?: Item[];
  slots?: Item[];
  cssProperties?: Item[];
  cssParts?: Item[];
  cssStates?: Item[];
}

const declarations = (manifest.modules as { declarations?: Declaration[] }[]).flatMap(
  (module) => module.declarations ?? [],
);
const declarationOf = (tagName: string) => declarations.find((declaration) => declaration.tagName === tagName);

/** One row of the table; read only: the stories' controls are their scenarios, not the API. */
function row(category: string, name: string, item: Item, type?: string): ArgTypes[string] {
  return {
    name,
    description: item.description ?? item.summary ?? '',
    control: false,
    table: {
      category,
      type: type ? { summary: type } : undefined,
      defaultValue: item.default === undefined ? undefined : { summary: item.default },
    },
  };
}

export function componentArgTypes(tagName: string): ArgTypes {
  const declaration = declarationOf(tagName);
  if (!declaration) return {};
  const properties = (declaration.members ?? []).filter(
    (member) => member.kind === 'field' && !member.privacy && !member.static,
  );
  const rows = [
    ...properties.map((property) =>
      row(
        'properties',
        property.attribute ? `${property.name} (${property.attribute})` : property.name,
        property,
        property.type?.text,
      ),
    ),
    ...(declaration.events ?? []).map((event) => row('events', event.name, event)),
    ...(declaration.slots ?? []).map((slot) => row('slots', slot.name || '(default)', slot)),
    ...(declaration.cssProperties ?? []).map((token) => row('tokens', token.name, token)),
    ...(declaration.cssParts ?? []).map((part) => row('parts', `::part(${part.name})`, part)),
    ...(declaration.cssStates ?? []).map((state) => row('states', `:state(${state.name})`, state)),
  ];
  return Object.fromEntries(rows.map((argType) => [`${argType.table?.category}:${argType.name}`, argType]));
}

/** The summary, then the description, as the component's JSDoc gives them. */
export function componentDescription(tagName: string): string {
  const declaration = declarationOf(tagName);
  return [declaration?.summary, declaration?.description].filter(Boolean).join('\n\n');
}
