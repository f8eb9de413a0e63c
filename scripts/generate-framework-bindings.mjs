// From packages/elements/custom-elements.json, what frameworks need to use the elements with types:
// the React components of @mes-kit/react (packages/react/src/) and the tag → properties and tag →
// events maps of @mes-kit/elements/jsx (packages/elements/src/jsx.ts). `npm run analyze` runs it
// after the manifest, and CI checks that its output is committed up to date.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

const root = new URL('..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(`${root}packages/elements/custom-elements.json`, 'utf8'));
const GENERATED = '// Generated from custom-elements.json by scripts/generate-framework-bindings.mjs: do not edit.';

const elements = manifest.modules.flatMap((module) =>
  (module.declarations ?? [])
    .filter((declaration) => declaration.customElement && declaration.tagName)
    .map((declaration) => ({
      tag: declaration.tagName,
      className: declaration.name,
      // The class's own module, relative to the package's src/.
      module: `./${module.path.replace(/^packages\/elements\/src\//, '').replace(/\.ts$/, '.js')}`,
      // What a template may set: public fields a page writes, by property and by attribute name.
      properties: (declaration.members ?? [])
        .filter((member) => member.kind === 'field' && !member.static && !member.readonly && !member.privacy)
        .map((member) => member.name),
      attributes: (declaration.attributes ?? [])
        .filter((attribute) => attribute.fieldName && attribute.name !== attribute.fieldName)
        .map((attribute) => ({ name: attribute.name, field: attribute.fieldName })),
      events: [...new Set((declaration.events ?? []).map((event) => event.name))],
    })),
);

/** mes-send-success → MesSendSuccess */
const pascal = (name) => name.replace(/(^|-)([a-z])/g, (_, __, letter) => letter.toUpperCase());
const union = (names) => names.map((name) => `'${name}'`).join(' | ') || 'never';

async function write(path, source) {
  const options = await resolveConfig(`${root}${path}`);
  writeFileSync(`${root}${path}`, await format(source, { ...options, filepath: `${root}${path}` }));
}

function reactComponent({ tag, className, events }) {
  const callbacks = events.map((event) => `on${pascal(event)}: '${event}' as EventName<Events['${event}']>,`);
  const typedEvents = events.length
    ? {
        imports: `import { createComponent, type EventName } from '@lit/react';
import type { MesElementEvents } from '@mes-kit/elements/jsx';`,
        alias: `\ntype Events = MesElementEvents['${tag}'];\n`,
        option: `events: {\n    ${callbacks.join('\n    ')}\n  },`,
        summary: `its events are the callbacks ${events.map((event) => `\`on${pascal(event)}\``).join(', ')}`,
      }
    : { imports: `import { createComponent } from '@lit/react';`, alias: '', option: '', summary: 'it fires no event' };
  return `${GENERATED}
${typedEvents.imports}
import * as React from 'react';
import { ${className} as ${className}Element } from '@mes-kit/elements/${tag}.js';
${typedEvents.alias}
/** \`<${tag}>\` as a React component; ${typedEvents.summary}. */
export const ${className} = createComponent({
  tagName: '${tag}',
  elementClass: ${className}Element,
  react: React,${typedEvents.option ? `\n  ${typedEvents.option}` : ''}
  displayName: '${className}',
});
`;
}

function jsxMaps() {
  const imports = elements.map(({ className, module }) => `import type { ${className} } from '${module}';`);
  const properties = elements.map(({ tag, className, properties: names, attributes }) => {
    const byProperty = `Partial<Pick<${className}, ${union(names)}>>`;
    const byAttribute = attributes.map(({ name, field }) => `'${name}'?: ${className}['${field}'];`);
    return `'${tag}': ${byProperty}${byAttribute.length ? ` & { ${byAttribute.join(' ')} }` : ''};`;
  });
  const classes = elements.map(({ tag, className }) => `'${tag}': ${className};`);
  const events = elements.map(({ tag, events: names }) => `'${tag}': EventsNamed<${union(names)}>;`);
  return `${GENERATED}
/**
 * Types for the mes-kit tags in the templates of a framework: what each tag takes (its properties,
 * and its attributes by their own names) and the events it fires. The framework's own declarations
 * (\`@mes-kit/elements/jsx/react\`, \`…/preact\`, \`…/svelte\`) are built on them.
 */
import type { DetailOf } from './events.js';
${imports.join('\n')}

type EventsNamed<Name extends keyof HTMLElementEventMap> = { [Type in Name]: CustomEvent<DetailOf<Type>> };

/** For each tag, its element. */
export interface MesElements {
  ${classes.join('\n  ')}
}

/** For each tag, what a template may set. */
export interface MesElementProperties {
  ${properties.join('\n  ')}
}

/** For each tag, the events it fires, with their types. */
export interface MesElementEvents {
  ${events.join('\n  ')}
}
`;
}

const reactDir = 'packages/react/src';
for (const file of readdirSync(`${root}${reactDir}`)) rmSync(`${root}${reactDir}/${file}`);
for (const element of elements) await write(`${reactDir}/${element.tag}.ts`, reactComponent(element));
await write(
  `${reactDir}/index.ts`,
  `${GENERATED}
/** The mes-kit elements as React components: using one registers its element. */
${elements.map(({ tag, className }) => `export { ${className} } from './${tag}.js';`).join('\n')}
`,
);
await write('packages/elements/src/jsx.ts', jsxMaps());
