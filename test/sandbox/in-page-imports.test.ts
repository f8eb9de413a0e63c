import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** Packages that exist only in Node: a page that imported them would not load. */
const NODE_ONLY = ['better-sqlite3', 'oidc-provider', '@mes-kit/core/node'];
const ENTRY = new URL('../../packages/sandbox/src/in-page.ts', import.meta.url);

/** The modules a file imports at run time (`import type` is erased, so it does not count). */
function runtimeImports(source: string): string[] {
  const imports = source.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+'([^']+)'|^import\s+'([^']+)'/gm);
  return [...imports].map((match) => match[1] ?? match[2]);
}

/** Every sandbox file the in-page sandbox loads, and the packages they load. */
function moduleGraph(entry: URL) {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (url: URL) => {
    const path = fileURLToPath(url);
    if (files.has(path)) return;
    files.add(path);
    for (const specifier of runtimeImports(readFileSync(path, 'utf8'))) {
      if (specifier.startsWith('.')) visit(new URL(specifier.replace(/\.js$/, '.ts'), url));
      else packages.set(specifier, path);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('sandbox in a page: loadable by a browser', () => {
  it('imports no Node-only module, directly or through the FHIR handler', () => {
    const { files, packages } = moduleGraph(ENTRY);
    assert.ok(
      [...files].some((file) => file.endsWith('/fhir/documents/provide.ts')),
      'positive control: the walk reaches the document handlers',
    );
    const nodeOnly = [...packages].filter(([name]) => isBuiltin(name) || NODE_ONLY.includes(name));
    assert.deepEqual(nodeOnly, []);
  });
});
