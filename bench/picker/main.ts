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

/** MES answering with `count` documents at once, from memory: what the picker itself costs. */
function inMemory(setup: Setup, count: number) {
  const entries = listed.slice(0, count).map((resource) => ({ resource }));
  const body = JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries });
  return new MesClient({ transport: transport(setup, async () => new Response(body, { status: 200 })) });
}

async function render(setup: Setup, count: number) {
  const element = picker(inMemory(setup, count));
  const started = performance.now();
  document.body.append(element);
  await until(() => options(element) > 0 || count === 0);
  await frame();
  const ms = performance.now() - started;
  return { element, ms };
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

/** Core alone: MES's answer read and each entry checked, with no element. */
async function listOnly(setup: Setup, count: number) {
  const client = inMemory(setup, count);
  const started = performance.now();
  let documents = 0;
  for await (const page of client.findDocuments()) documents += page.documents.length;
  return { ms: performance.now() - started, documents };
}

const bench = { fromSandbox, render, keystroke, nodesOf, listOnly };
export type PickerBench = typeof bench;
Object.assign(window, { bench });
