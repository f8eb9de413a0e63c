/**
 * The page `bench/picker-10k.ts` drives: pickers on a client whose FHIR calls go to the sandbox (with
 * tokens the admin API minted), or to documents kept in memory, and what each one costs.
 */
import '@mes-kit/elements/all.js';
import { MesClient, type FhirRequest, type LocalTransport } from '@mes-kit/core';

interface Setup {
  fhirBase: string;
  accessToken: string;
  idToken: string;
  idPe: string;
}

const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

function transport(setup: Setup, answer: (request: FhirRequest) => Promise<Response>): LocalTransport {
  const session = {
    paired: true as const,
    finalities: ['DOC_LECTURE'],
    idPe: setup.idPe,
    service: { oid: '1.2.250.1.999.42.2', name: 'mes-kit (mode direct)' },
  };
  return {
    kind: 'local',
    session: async () => session,
    pair: async () => session,
    revoke: async () => undefined,
    request: (request) => answer(request),
  };
}

/** Every DocumentReference MES listed, kept as the pages came, for the in-memory runs. */
const listed: unknown[] = [];

function picker(client: MesClient) {
  const element = document.createElement('mes-document-picker');
  element.client = client;
  element.setAttribute('multiple', '');
  return element;
}

const options = (element: HTMLElement) => element.shadowRoot?.querySelectorAll('[role="option"]').length ?? 0;

async function until(test: () => boolean, timeoutMs = 120_000) {
  const end = performance.now() + timeoutMs;
  while (!test()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function nodesOf(root: Node): number {
  let count = 0;
  const walk = (node: Node) => {
    count++;
    if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
    node.childNodes.forEach(walk);
  };
  walk(root);
  return count;
}

/** From the sandbox: time to the first rows on screen, and until every page is in. */
async function fromSandbox(setup: Setup) {
  let lastPageAt = 0;
  const client = new MesClient({
    transport: transport(setup, async (request) => {
      const response = await fetch(`${setup.fhirBase}/${request.path}`, {
        headers: { authorization: `Bearer ${setup.accessToken}`, 'x-id-token': setup.idToken },
      });
      const body = (await response.json()) as { entry?: { resource: unknown }[]; link?: { relation: string }[] };
      if (listed.length < 10_000) listed.push(...(body.entry ?? []).map((entry) => entry.resource));
      if (!body.link?.some((link) => link.relation === 'next')) lastPageAt = performance.now();
      return new Response(JSON.stringify(body), { status: response.status });
    }),
  });
  const element = picker(client);
  const started = performance.now();
  document.body.append(element);
  await until(() => options(element) > 0);
  await frame();
  const firstRows = performance.now() - started;
  await until(() => lastPageAt > 0);
  await frame();
  const allPages = performance.now() - started;
  element.remove();
  return { firstRows, allPages, listed: listed.length };
}

/**
 * MES answering from memory, with nothing between: `count` documents, a page at a time as MES pages
 * them (`_count` at most 100, `_offset`, a `next` link), or all in one answer when `onePage` (which
 * MES refuses: what a single answer of 10,000 would cost).
 */
function inMemory(setup: Setup, count: number, onePage = false) {
  const documents = listed.slice(0, count);
  return new MesClient({
    transport: transport(setup, async (request) => {
      const params = new URLSearchParams(request.path.slice(request.path.indexOf('?') + 1));
      const size = onePage ? documents.length : Math.min(100, Number(params.get('_count') ?? 50));
      const offset = onePage ? 0 : Number(params.get('_offset') ?? 0);
      const page = documents.slice(offset, offset + size).map((resource) => ({ resource }));
      const next = offset + size < documents.length;
      params.set('_offset', String(offset + size));
      const body = {
        resourceType: 'Bundle',
        type: 'searchset',
        total: documents.length,
        link: next ? [{ relation: 'next', url: `${setup.fhirBase}/DocumentReference?${params}` }] : [],
        entry: page,
      };
      return new Response(JSON.stringify(body), { status: 200 });
    }),
  });
}

const complete = (element: HTMLElement) => element.matches(':state(success), :state(empty)');

/** The picker's first rows on screen with `count` documents in MES, and until all of them are in. */
async function render(setup: Setup, count: number) {
  const element = picker(inMemory(setup, count));
  const started = performance.now();
  document.body.append(element);
  await until(() => options(element) > 0 || (count === 0 && complete(element)));
  await frame();
  const ms = performance.now() - started;
  await until(() => complete(element));
  await frame();
  return { element, ms, allIn: performance.now() - started };
}

/**
 * One keystroke in the search field: the picker's update and the layout of the rows it shows (read
 * back at once, so the browser does it now); the wait for the next frame is not the picker's.
 */
async function keystroke(element: HTMLElement, text: string) {
  await frame();
  const search = element.shadowRoot!.querySelector<HTMLInputElement>('[part="search"]')!;
  const started = performance.now();
  search.value = text;
  search.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, data: text.at(-1) }));
  await (element as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
  const list = element.shadowRoot!.querySelector<Element & { layoutComplete?: Promise<unknown> }>('[role="listbox"]');
  await list?.layoutComplete;
  void list?.getBoundingClientRect().height;
  element.shadowRoot!.querySelector('[role="option"]')?.getBoundingClientRect();
  return performance.now() - started;
}

/** Core alone, no element: every document read and checked, a page at a time or (`onePage`) at once. */
async function listOnly(setup: Setup, count: number, onePage: boolean) {
  const client = inMemory(setup, count, onePage);
  const started = performance.now();
  let documents = 0;
  for await (const page of client.findDocuments({ count: 100 })) documents += page.documents.length;
  return { ms: performance.now() - started, documents };
}

const bench = { fromSandbox, render, keystroke, nodesOf, listOnly };
export type PickerBench = typeof bench;
Object.assign(window, { bench });
