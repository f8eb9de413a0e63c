/**
 * Mutations of valid requests for the fuzz tests of the sandbox and the gateway: plain data (so a
 * counterexample prints and shrinks), applied to a valid input's JSON tree, to its serialised text,
 * or to the request around it. Also a raw HTTP client (any method, path, header bytes) that
 * measures the CPU each request costs the process, server included.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Raw JSON tokens that `JSON.stringify` cannot write: spliced into the text in place of a marker. */
export const RAW_NUMBERS = [
  '1e309',
  '-1e309',
  '-0',
  '1e-400',
  'NaN',
  'Infinity',
  '01',
  '0x10',
  '9007199254740993',
  '.5',
];
/** Values of the wrong type, or of the right type and absurd. */
const WRONG_VALUES: Json[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53,
  '',
  ' ',
  'NaN',
  '1e309',
  '-0',
  '0x10',
  [],
  {},
  [null],
  { '': '' },
  '2026-02-30T25:61:00Z',
  'urn:oid:',
  '|',
  'a|b|c',
  '%00',
  '../../etc/passwd',
];
const UNICODE = [
  '\ud800',
  'x\udfff',
  '\u202eegnahc\u202c',
  'a\u0000b',
  '\u0000',
  '\ufeff',
  '👩‍⚕️é\u0301',
  '\uffff\ufffe',
  'مرحبا \u200f',
  '\u2028\u2029',
  '\\u0000',
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

export type TreeMutation =
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'wrong-type'; at: number; variant: number }
  | { kind: 'huge-string'; at: number; size: number }
  | { kind: 'deep'; at: number; depth: number }
  | { kind: 'unicode'; at: number; variant: number }
  | { kind: 'prototype-key'; at: number; variant: number }
  | { kind: 'raw-number'; at: number; variant: number };

export type TextMutation = { kind: 'truncate'; at: number } | { kind: 'garbage'; variant: number } | { kind: 'empty' };

export const treeMutation: fc.Arbitrary<TreeMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('wrong-type' as const), at: fc.nat(), variant: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge-string' as const),
      at: fc.nat(),
      size: fc.constantFrom(5_000, 70_000, 300_000),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('deep' as const), at: fc.nat(), depth: fc.constantFrom(15, 40, 99, 150) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unicode' as const), at: fc.nat(), variant: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('prototype-key' as const), at: fc.nat(), variant: fc.nat() }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('raw-number' as const), at: fc.nat(), variant: fc.nat() }) },
);

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('garbage' as const), variant: fc.nat() }),
  fc.constant({ kind: 'empty' as const }),
);

const rawMarker = (i: number) => `\u0001RAW${i}\u0001`;
/** The marker, in a parameter's text. */
// eslint-disable-next-line no-control-regex -- the marker is a control character no valid input holds
const RAW_MARKER = /\u0001RAW(\d+)\u0001/g;

type Container = Json[] | { [key: string]: Json };
interface Slot {
  parent: Container;
  key: string | number;
}

/** Every place a value sits in the tree (the root excluded), in a stable order. */
function slotsOf(root: Json): Slot[] {
  const slots: Slot[] = [];
  const walk = (value: Json) => {
    if (Array.isArray(value)) {
      value.forEach((child, i) => {
        slots.push({ parent: value, key: i });
        walk(child);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        slots.push({ parent: value, key });
        walk(value[key]);
      }
    }
  };
  walk(root);
  return slots;
}

const get = (slot: Slot) => (slot.parent as Record<string | number, Json>)[slot.key];
function set(slot: Slot, value: Json) {
  // A key named __proto__ must become an own property, never the prototype.
  Object.defineProperty(slot.parent, slot.key, { value, enumerable: true, writable: true, configurable: true });
}

function nest(value: Json, depth: number): Json {
  let nested = value;
  for (let i = 0; i < depth; i++) nested = i % 2 === 0 ? [nested] : { a: nested };
  return nested;
}

/** The tree with the mutations applied, in order (a copy; the template is left alone). */
export function mutateTree(template: Json, mutations: readonly TreeMutation[]): Json {
  let root = structuredClone(template);
  for (const mutation of mutations) {
    const slots = slotsOf(root);
    const containers: Container[] = [
      ...(typeof root === 'object' && root !== null ? [root] : []),
      ...slots.map(get).filter((v): v is Container => typeof v === 'object' && v !== null),
    ];
    if (slots.length === 0) {
      if (mutation.kind === 'wrong-type') root = WRONG_VALUES[mutation.variant % WRONG_VALUES.length];
      continue;
    }
    const slot = slots[mutation.at % slots.length];
    switch (mutation.kind) {
      case 'delete':
        if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
        else delete slot.parent[slot.key as string];
        break;
      case 'duplicate':
        if (Array.isArray(slot.parent)) slot.parent.push(structuredClone(get(slot)));
        else set({ parent: slot.parent, key: `${slot.key as string}` }, [get(slot), structuredClone(get(slot))]);
        break;
      case 'wrong-type':
        set(slot, structuredClone(WRONG_VALUES[mutation.variant % WRONG_VALUES.length]));
        break;
      case 'huge-string':
        set(slot, 'A'.repeat(mutation.size));
        break;
      case 'deep':
        set(slot, nest(get(slot), mutation.depth));
        break;
      case 'unicode': {
        const current = get(slot);
        const odd = UNICODE[mutation.variant % UNICODE.length];
        set(slot, typeof current === 'string' ? `${current}${odd}` : odd);
        break;
      }
      case 'prototype-key': {
        const target = containers[mutation.at % containers.length];
        const key = PROTO_KEYS[mutation.variant % PROTO_KEYS.length];
        if (Array.isArray(target)) target.push({ [key]: { polluted: 'yes' } });
        else set({ parent: target, key }, { polluted: 'yes', identifier: [{ system: 'x', value: 'y' }] });
        break;
      }
      case 'raw-number':
        set(slot, rawMarker(mutation.variant % RAW_NUMBERS.length));
        break;
    }
  }
  return root;
}

/** JSON text of a mutated tree, raw number markers replaced by the tokens JSON cannot carry. */
export function jsonText(value: Json): string {
  return JSON.stringify(value).replace(/"\\u0001RAW(\d+)\\u0001"/g, (_, i: string) => RAW_NUMBERS[Number(i)]);
}

/** A value as one query or form parameter's text. */
export function parameterText(value: Json): string {
  if (typeof value === 'string') return value.replace(RAW_MARKER, (_, i: string) => RAW_NUMBERS[Number(i)]);
  return jsonText(value);
}

/** `{ key: value | [values] }` as URL-encoded pairs, in order; arrays repeat the key. */
export function formText(params: Json): string {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return parameterText(params);
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, parameterText(v));
  }
  return search.toString();
}

const GARBAGE: ((bytes: Buffer) => Buffer)[] = [
  (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]),
  (b) => Buffer.concat([b, Buffer.from(' trailing')]),
  (b) => Buffer.concat([b, Buffer.from([0xff, 0xfe])]),
  (b) => Buffer.concat([Buffer.from([0xc3]), b]),
  (b) => Buffer.from(b.toString('latin1').replace(/"/, "'"), 'latin1'),
  (b) => Buffer.concat([b, b]),
  (b) => Buffer.from(`[${b.toString()}]`),
  (b) => Buffer.from(b.toString('utf16le')),
  () => Buffer.from('\u0000'),
  () => Buffer.from('{"a":1,"a":2,"__proto__":{"x":1}}'),
];

export function mutateText(bytes: Buffer, mutation: TextMutation | null): Buffer {
  if (!mutation) return bytes;
  if (mutation.kind === 'empty') return Buffer.alloc(0);
  if (mutation.kind === 'truncate') return bytes.subarray(0, bytes.length === 0 ? 0 : mutation.at % bytes.length);
  return GARBAGE[mutation.variant % GARBAGE.length](bytes);
}

/** Odd changes to the request around a valid input. */
export interface RequestMutation {
  method: number | null;
  path: number | null;
  contentType: number | null;
  header: number | null;
}

export const ODD_METHODS = [
  'HEAD',
  'OPTIONS',
  'DELETE',
  'PATCH',
  'PUT',
  'POST',
  'GET',
  'PROPFIND',
  'TRACE',
  'FOO',
  'get',
];
export const ODD_CONTENT_TYPES = [
  null,
  'text/plain',
  'application/xml',
  'application/fhir+json; charset=latin1',
  'application/json; charset="utf-8"',
  'APPLICATION/FHIR+JSON',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/json-patch+json',
  'application/fhir+json;;;',
  'application/json\t',
  'ÿ/ÿ',
];
/** A path transform: receives the path with its query, returns the odd one. */
export const ODD_PATHS: ((path: string) => string)[] = [
  (p) => p.replace('?', '/?'),
  (p) => p.replace(/^\//, '//'),
  (p) => p.replace(/(\/[^/?]+)(\?|$)/, '$1%00$2'),
  (p) => p.replace(/(\/[^/?]+)(\?|$)/, '$1/x/y/z$2'),
  (p) => p.replace(/\?.*$/, ''),
  (p) => `${p}${p.includes('?') ? '&' : '?'}${'q=1&'.repeat(500)}`,
  (p) => `${p}${p.includes('?') ? '&' : '?'}%ff=%fe&%=%&a=%E0%A4%A`,
  (p) => p.replace(/([A-Za-z])/, (c) => c.toUpperCase()),
  (p) => p.replace(/\/([^/?]+)(\?|$)/, '/%2e%2e%2f$1$2'),
  (p) => p.replace(/=([^&]*)/, '=$1%7C%7C'),
  (p) => `${p}#fragment`,
  (p) => p.replace(/\?/, '?_format=xml&'),
  (p) => `${p}${p.includes('?') ? '&' : '?'}${'x'.repeat(7000)}=1`,
  (p) => p.replaceAll('/', '%2F').replace(/^%2F/, '/'),
];
/** An extra or changed header: [name, value]; a null value removes the header. */
export const ODD_HEADERS: [string, string | null][] = [
  ['authorization', null],
  ['authorization', 'Bearer '],
  ['authorization', `Bearer ${'a'.repeat(8000)}`],
  ['authorization', 'Basic Og=='],
  ['x-id-token', null],
  ['x-id-token', 'e30.e30.e30'],
  ['content-length', '0'],
  ['x-huge', 'x'.repeat(12_000)],
  ['if-none-exist', 'identifier=%ff|%'],
  ['if-none-exist', '|'],
  ['accept', 'application/xml'],
  ['cookie', `a=${'%'.repeat(2000)}; b=\u00ff`],
  ['transfer-encoding', 'chunked'],
  ['x-forwarded-host', 'evil.example'],
  ['host', 'evil.example'],
  ['origin', 'null'],
  ['expect', '100-continue'],
  ['content-type', 'application/fhir+json; charset=utf-8; charset=latin1'],
];

/** `arbitrary` one time in `1 + nulls`, else null. */
export const sometimes = <T>(arbitrary: fc.Arbitrary<T>, nulls: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: nulls, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

export const requestMutation: fc.Arbitrary<RequestMutation> = fc.record({
  method: sometimes(fc.nat(), 3),
  path: sometimes(fc.nat(), 2),
  contentType: sometimes(fc.nat(), 3),
  header: sometimes(fc.nat(), 1),
});

/** Which kinds of mutation a case carries, for the totals by class. */
export function mutationClasses(
  tree: readonly TreeMutation[],
  text: TextMutation | null,
  request: RequestMutation | null,
) {
  return [
    ...tree.map((m) => m.kind),
    ...(text ? [`text:${text.kind}`] : []),
    ...(request?.method != null ? ['odd-method'] : []),
    ...(request?.path != null ? ['odd-path'] : []),
    ...(request?.contentType != null ? ['content-type'] : []),
    ...(request?.header != null ? ['odd-header'] : []),
  ];
}

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** On a connection of its own: a body that does not match its framing would confuse the next request. */
  fresh?: boolean;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** CPU (user + system) the process spent from sending to the whole answer, in ms. */
  cpuMs: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** Any request, sent as is over node:http (keep-alive), with the CPU it cost the process. */
export function send(origin: string, request: RawRequest, timeoutMs = 20_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const cpu = process.cpuUsage();
    let req: ReturnType<typeof httpRequest>;
    try {
      req = httpRequest({
        host: hostname === 'localhost' ? '127.0.0.1' : hostname,
        port,
        method: request.method,
        path: request.path,
        headers: { host: `localhost:${port}`, ...request.headers },
        agent: request.fresh ? false : agent,
      });
    } catch (error) {
      return reject(error instanceof Error ? error : new Error(String(error)));
    }
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`${request.method} ${request.path.slice(0, 100)}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      res.on('end', () => {
        clearTimeout(timer);
        // What the server makes of bytes the answer left unread is no concern of the next request.
        if (request.fresh) req.destroy();
        const used = process.cpuUsage(cpu);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(parts),
          cpuMs: (used.user + used.system) / 1000,
        });
      });
    });
    req.end(request.body);
  });
}

/** Counts by class, printed once at the end. */
export class Tally {
  readonly byClass = new Map<string, number>();
  readonly byMutation = new Map<string, number>();
  readonly byStatus = new Map<string, number>();
  total = 0;
  maxCpuMs = 0;
  maxCpuLabel = '';

  count(inputClass: string, mutations: readonly string[], status: number, cpuMs: number, label: string) {
    this.total++;
    this.byClass.set(inputClass, (this.byClass.get(inputClass) ?? 0) + 1);
    for (const m of new Set(mutations)) this.byMutation.set(m, (this.byMutation.get(m) ?? 0) + 1);
    const bucket = `${Math.floor(status / 100)}xx`;
    this.byStatus.set(bucket, (this.byStatus.get(bucket) ?? 0) + 1);
    if (cpuMs > this.maxCpuMs) {
      this.maxCpuMs = cpuMs;
      this.maxCpuLabel = label;
    }
  }

  report(name: string, elapsedMs: number): string {
    const list = (map: Map<string, number>) =>
      [...map]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
    return [
      `${name}: ${this.total} mutated requests in ${(elapsedMs / 1000).toFixed(1)} s`,
      `  by input: ${list(this.byClass)}`,
      `  by mutation: ${list(this.byMutation)}`,
      `  by status: ${list(this.byStatus)}`,
      `  max CPU per request: ${this.maxCpuMs.toFixed(1)} ms (${this.maxCpuLabel})`,
    ].join('\n');
  }
}
