/**
 * The packages as npm publishes them: each packs (its prepack builds dist/), publint and
 * arethetypeswrong (ESM-only profile) find nothing to report, and a blank Vite app that installs
 * the four tarballs builds, type-checks its TSX against the published types, and runs in Chromium,
 * where a React wrapper's typed callback fires.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { chromium } from 'playwright';
import { preview } from 'vite';
import { args, executablePath } from '../helpers/chromium.mjs';
import { freePort } from '../helpers/ports.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const PUBLISHED = ['core', 'elements', 'gateway', 'react'];
// What the app adds beside the tarballs, at the versions the repository tests.
const APP_DEPENDENCIES = ['react@19.3.1', 'react-dom@19.3.1', '@types/react@19.3.3', 'vite@8.3.8', 'typescript@5.9.3'];

const APP_FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'blank-app', private: true, type: 'module' }),
  'index.html': `<!doctype html>
<html lang="fr">
  <body>
    <div id="root"></div>
    <script type="module" src="./main.js"></script>
  </body>
</html>
`,
  // One send button as a custom element, one through React; the callback writes what it received.
  'main.js': `import '@mes-kit/elements/mes-send-document-button.js';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { MesSendDocumentButton } from '@mes-kit/react';

const sent = (event) => {
  document.body.dataset.sent = event.detail.id;
};
createRoot(document.getElementById('root')).render(
  createElement(MesSendDocumentButton, { documentRef: 'cr-2026-001', onMesSendSuccess: sent }),
);
`,
  // Templates of a React app, checked against the published types.
  'app.tsx': `import type {} from '@mes-kit/elements/jsx/react';
import { MesSendDocumentButton } from '@mes-kit/react';

export const element = (
  <mes-send-document-button
    document-ref="cr-2026-001"
    onmes-send-success={(event) => console.log(event.detail.id, event.detail.alreadyPresent)}
  />
);
export const wrapper = (
  <MesSendDocumentButton documentRef="cr-2026-001" onMesSendError={(event) => console.log(event.detail.error.code)} />
);
// @ts-expect-error: not a property of the element
export const unknownProperty = <mes-send-document-button documentReference="cr-2026-001" />;
// @ts-expect-error: a success carries no error
export const wrongDetail = <MesSendDocumentButton onMesSendSuccess={(event) => event.detail.error} />;
// @ts-expect-error: the provider takes a string
export const wrongType = <mes-provider service-name={42} />;
`,
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'bundler',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      jsx: 'react-jsx',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
    },
    include: ['app.tsx'],
  }),
};

let dir: string;
let app: string;
const tarballs: Record<string, string> = {};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mes-kit-packaging-'));
  for (const name of PUBLISHED) {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: `${root}packages/${name}`,
    });
    tarballs[name] = join(dir, (JSON.parse(stdout) as { filename: string }[])[0].filename);
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

for (const name of PUBLISHED) {
  test(`@mes-kit/${name}: publint reports nothing`, async () => {
    const tarball = readFileSync(tarballs[name]);
    const { messages, pkg } = await publint({
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
      level: 'suggestion',
    });
    assert.deepEqual(
      messages.map((message) => formatMessage(message, pkg)),
      [],
    );
  });

  test(`@mes-kit/${name}: arethetypeswrong reports nothing for ES modules`, async () => {
    // The packages are ES modules only: CommonJS resolution (node10, node16 from require) is out of scope.
    const attw = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    // attw exits with 1 when it finds a problem the profile counts; its report is the message.
    await run(process.execPath, [
      attw,
      tarballs[name],
      '--profile',
      'esm-only',
      '--format',
      'ascii',
      '--no-color',
    ]).catch((error: { stdout: string }) => assert.fail(error.stdout));
  });
}

test('a blank Vite app installs the tarballs, type-checks, builds and runs', async (t) => {
  app = join(dir, 'app');
  await run('mkdir', [app]);
  for (const [file, content] of Object.entries(APP_FILES)) writeFileSync(join(app, file), content);
  await run(
    'npm',
    ['install', ...Object.values(tarballs), ...APP_DEPENDENCIES, '--prefer-offline', '--no-audit', '--no-fund'],
    { cwd: app },
  );

  await t.test('its TSX type-checks against the published types', async () => {
    const result = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], { cwd: app }).catch(
      (error: { stdout: string }) => error,
    );
    assert.equal(result.stdout, '');
  });

  await t.test('vite build bundles the built modules, not the sources', async () => {
    await run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { cwd: app });
    const assets = join(app, 'dist/assets');
    const bundle = readdirSync(assets)
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(join(assets, file), 'utf8'))
      .join('\n');
    assert.ok(
      /customElements\.define\(\s*["'`]mes-send-document-button["'`]/.test(bundle),
      'the bundle defines <mes-send-document-button>',
    );
    assert.deepEqual(bundle.match(/src\/[\w/-]+\.ts\b/g), null, 'the bundle names no TypeScript source');
  });

  await t.test('in Chromium, the built React wrapper renders the element and calls onMesSendSuccess', async () => {
    const server = await preview({
      root: app,
      configFile: false,
      logLevel: 'silent',
      preview: { port: await freePort() },
    });
    const browser = await chromium.launch({ executablePath, args });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(server.resolvedUrls!.local[0]);
      const button = page.locator('mes-send-document-button');
      await button.waitFor({ state: 'attached' });
      assert.equal(
        await button.evaluate((element) => (element as { documentRef?: string }).documentRef),
        'cr-2026-001',
      );
      await button.evaluate((element) =>
        element.dispatchEvent(new CustomEvent('mes-send-success', { detail: { id: 'doc-1', alreadyPresent: false } })),
      );
      assert.equal(await page.locator('body').getAttribute('data-sent'), 'doc-1');
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
