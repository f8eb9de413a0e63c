/**
 * `<mes-document-picker>` at 10,000 documents, in Chromium:
 *
 * 1. 10,000 documents generated for a persona in a real sandbox; the picker reads them through ITI-67
 *    a page at a time: time to the first rows on screen, and until the last page is in.
 * 2. The same 10,000 answered from memory, with no network, a page of 100 at a time as MES pages
 *    them: the picker's first render (first rows on screen, budget 100 ms) against an empty answer
 *    in the same run, and until all 10,000 are in. Core alone, for comparison, reads them a page at
 *    a time and in one answer of 10,000 (which MES refuses: `_count` is at most 100).
 * 3. A keystroke of search over 10,000 titles, until the list shows its result (budget 16 ms).
 * 4. DOM nodes in the picker at 100, 1,000 and 10,000 documents (constant: virtualized).
 *
 * Run: npx tsx --conditions=@mes-kit/source bench/picker-10k.ts   (ROUNDS=5 by default; medians)
 */
import { chromium } from 'playwright';
import { createServer, defaultClientConditions } from 'vite';
import { args, executablePath } from '../test/helpers/chromium.mjs';
import { freePort } from '../test/helpers/ports.js';
import { adminTokens, servicesRedirectedTo, startSandbox } from '../test/helpers/sandbox.js';
import type { PickerBench } from './picker/main.js';

/** The page's own functions, as `bench/picker/main.ts` sets them on `window`. */
declare const window: { bench: PickerBench };

const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const port = await freePort();
const origin = `http://localhost:${port}`;
// The page is a public client's origin, which the sandbox's FHIR API answers (CORS).
const sandbox = await startSandbox({ services: servicesRedirectedTo(origin) });
const server = await createServer({
  configFile: false,
  root: new URL('./picker/', import.meta.url).pathname,
  resolve: { conditions: ['@mes-kit/source', ...defaultClientConditions] },
  server: { port, strictPort: true },
  logLevel: 'silent',
});
await server.listen();
const browser = await chromium.launch({ executablePath, args });

try {
  const seeded = await fetch(`${sandbox.url}/sandbox/patients/elise/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count: 10_000 }),
  });
  if (seeded.status !== 201) throw new Error(`seeding: ${seeded.status}`);
  const tokens = await adminTokens(sandbox.url, 'elise', ['DOC_LECTURE'], 'mes-kit-public');
  const setup = {
    fhirBase: sandbox.fhirBase,
    accessToken: tokens.access_token,
    idToken: tokens.id_token,
    idPe: 'patient-externe-id-5',
  };
  const page = await browser.newPage();
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => 'bench' in window && customElements.get('mes-document-picker'));

  // A first listing warms MES's side (it parses a persona's documents once) and the page's.
  const sandboxRuns: { firstRows: number; allPages: number; listed: number }[] = [];
  for (let round = 0; round <= Math.min(ROUNDS, 3); round++) {
    const run = await page.evaluate((s) => window.bench.fromSandbox(s), setup);
    if (round > 0) sandboxRuns.push(run);
  }
  if (sandboxRuns[0].listed !== 10_000) throw new Error(`listed ${sandboxRuns[0].listed}`);

  const lists: { paged: number[]; onePage: number[] } = { paged: [], onePage: [] };
  for (let round = 0; round <= ROUNDS; round++) {
    for (const onePage of [false, true]) {
      const listed = await page.evaluate(([s, one]) => window.bench.listOnly(s, 10_000, one), [
        setup,
        onePage,
      ] as const);
      if (listed.documents !== 10_000) throw new Error(`core listed ${listed.documents}`);
      if (round > 0) lists[onePage ? 'onePage' : 'paged'].push(listed.ms);
    }
  }

  const renders: number[] = [];
  const allIns: number[] = [];
  const empties: number[] = [];
  const keystrokes: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const measured = await page.evaluate(async (s) => {
      const bench = window.bench;
      const empty = await bench.render(s, 0);
      empty.element.remove();
      const full = await bench.render(s, 10_000);
      const typed: number[] = [];
      let text = '';
      for (const letter of 'bilan lip') {
        text += letter;
        typed.push(await bench.keystroke(full.element, text));
      }
      for (let i = 0; i < 'bilan lip'.length; i++) {
        text = text.slice(0, -1);
        typed.push(await bench.keystroke(full.element, text));
      }
      full.element.remove();
      return { empty: empty.ms, full: full.ms, allIn: full.allIn, typed };
    }, setup);
    if (round === 0) continue;
    renders.push(measured.full);
    allIns.push(measured.allIn);
    empties.push(measured.empty);
    keystrokes.push(...measured.typed);
  }

  const nodes = await page.evaluate(async (s) => {
    const bench = window.bench;
    const counts: Record<number, number> = {};
    for (const count of [100, 1_000, 10_000]) {
      const { element } = await bench.render(s, count);
      counts[count] = bench.nodesOf(element);
      element.remove();
    }
    return counts;
  }, setup);

  const row = (label: string, value: string) => console.log(`  ${label.padEnd(64)} ${value}`);
  const ms = (value: number) => `${value.toFixed(1).padStart(7)} ms`;
  const budget = (value: number, limit: number) =>
    `${ms(value)}  (budget ${limit} ms) ${value <= limit ? 'OK' : 'OVER'}`;
  console.log(`<mes-document-picker>, 10,000 documents, Chromium (${ROUNDS} rounds, medians):`);
  row('from the sandbox: first rows on screen', ms(median(sandboxRuns.map((r) => r.firstRows))));
  row('from the sandbox: every page in (100 a page)', ms(median(sandboxRuns.map((r) => r.allPages))));
  row('from memory, 100 a page: first render (first rows on screen)', budget(median(renders), 100));
  row('the same, with no document (baseline, same run)', ms(median(empties)));
  row('from memory, 100 a page: all 10,000 in', ms(median(allIns)));
  row('core alone, no element: 10,000 read and checked, 100 a page', ms(median(lists.paged)));
  row('core alone: 10,000 in one answer (MES refuses over 100 a page)', ms(median(lists.onePage)));
  row(`a keystroke of search over 10,000 titles (${keystrokes.length} keystrokes)`, budget(median(keystrokes), 16));
  row('slowest keystroke', ms(Math.max(...keystrokes)));
  row('DOM nodes at 100 / 1,000 / 10,000 documents', `${nodes[100]} / ${nodes[1_000]} / ${nodes[10_000]}`);
} finally {
  await browser.close();
  await server.close();
  await sandbox.dispose();
}
