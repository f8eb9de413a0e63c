/**
 * Sending 5 MB through the kit, against the same bytes without it, in the same run (interleaved
 * rounds, medians; these machines are noisy, so only ratios mean anything):
 *
 * 1. A document the host holds, named by ref: page → gateway (resolves it, builds and posts the
 *    ITI-65 bundle) → sandbox; against the same ITI-65 bundle posted from the server straight to the
 *    sandbox. Budget 1.1×.
 * 2. A patient's own 5 MB file over a link throttled to 10 Mbit/s (a local proxy): page → proxy →
 *    gateway → sandbox; against a raw upload of the same bytes through the same proxy. Budget 1.05×
 *    (base64 in JSON would be ≈ 1.33×). Split into the patient's link (until the gateway holds the
 *    last byte) and what follows (building the bundle, MES filing 5 MB), and set against what a host
 *    without the kit would do: take the raw bytes, then build and post the bundle itself.
 *
 * Run: npx tsx --conditions=@mes-kit/source bench/send-5mb.ts   (ROUNDS=5 by default; THROTTLED_ROUNDS=3)
 */
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MesClient,
  bytesToBase64,
  gatewayTransport,
  serializeProvideDocumentBundle,
  sha1Base64,
  uuidV5,
} from '@mes-kit/core';
import { MemorySessionStore, type PairedTokens } from '../packages/gateway/src/index.js';
import { defaultConfig } from '../packages/sandbox/src/index.js';
import { PORTAL_USER_COOKIE, startGateway } from '../test/helpers/gateway.js';
import { adminTokens, fhirHeaders } from '../test/helpers/sandbox.js';

const SIZE = 5_000_000;
const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const THROTTLED_ROUNDS = Number(process.env['THROTTLED_ROUNDS'] ?? 3);
const LINK_BYTES_PER_SECOND = 10_000_000 / 8;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function pdfOf(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(randomBytes(size));
  bytes.set(new TextEncoder().encode('%PDF-1.4\n'));
  return bytes;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://localhost:${(server.address() as AddressInfo).port}`;
}

/** When the proxy last handed a request's final byte to the server behind it. */
const proxyState = { lastByteAt: 0 };

/** A proxy whose uplink (request bodies) runs at `bytesPerSecond`, like a patient's phone. */
function throttlingProxy(target: string, bytesPerSecond: number): Server {
  return createServer((req: IncomingMessage, res) => {
    const upstream = httpRequest(new URL(req.url!, target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    const started = performance.now();
    let sent = 0;
    void (async () => {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        for (let at = 0; at < chunk.length; at += 16_384) {
          const piece = chunk.subarray(at, at + 16_384);
          sent += piece.length;
          const due = (sent / bytesPerSecond) * 1000 - (performance.now() - started);
          if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
          if (!upstream.write(piece)) await new Promise((resolve) => upstream.once('drain', resolve));
        }
      }
      upstream.end(() => (proxyState.lastByteAt = performance.now()));
    })();
  });
}

const sessions = new MemorySessionStore();
const harness = await startGateway({ gateway: { sessions } });
const { sandbox, origin } = harness;
const demo = defaultConfig().services.find((service) => service.clientId === 'mes-kit-demo')!;
// Paired as the admin API pairs (real tokens), so that the figures are about sending only.
const tokens = await adminTokens(sandbox.url, 'camille', ['DOC_ECRITURE'], demo.clientId);
await sessions.set<PairedTokens>(
  `tokens:${demo.oid}:camille`,
  {
    accessToken: tokens.access_token,
    idToken: tokens.id_token,
    expiresAt: Date.now() + tokens.expires_in * 1000,
    finalities: ['DOC_ECRITURE'],
    idPe: 'patient-externe-id-2',
  },
  3600,
);
const direct = await adminTokens(sandbox.url, 'louis', ['DOC_ECRITURE'], demo.clientId);

const proxy = throttlingProxy(origin, LINK_BYTES_PER_SECOND);
const proxied = await listen(proxy);
const sink = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(204).end());
});
const sinkProxy = throttlingProxy(await listen(sink), LINK_BYTES_PER_SECOND);
const sinkUrl = await listen(sinkProxy);

/** A page of the portal, in Node: the gateway's own transport, through `base`. */
const pageClient = (base: string) =>
  new MesClient({
    transport: gatewayTransport({
      baseUrl: `${base}/mes`,
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: { ...(init?.headers as object), origin, cookie: `${PORTAL_USER_COOKIE}=camille` },
        }),
    }),
  });

try {
  const page = pageClient(origin);
  const kit: number[] = [];
  const straight: number[] = [];
  const built: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const bytes = pdfOf(SIZE);
    const ref = `bench-${round}-${Date.now()}`;
    harness.addDocument('camille', ref, {
      file: new Blob([bytes], { type: 'application/pdf' }),
      title: `Bench ${round}`,
      type: '11488-4',
    });
    let started = performance.now();
    const result = await page.sendDocument({ ref });
    const kitMs = performance.now() - started;
    if (result.alreadyPresent) throw new Error('each round must send a new document');

    started = performance.now();
    const hash = await sha1Base64(bytes);
    // Serialized as the kit does (base64 written straight into UTF-8 bytes): the baseline is the
    // best a server could do, not a slower one.
    const body = serializeProvideDocumentBundle({
      data: bytesToBase64(bytes),
      size: bytes.length,
      hash,
      contentType: 'application/pdf',
      title: `Direct ${round}`,
      type: '11488-4',
      date: new Date().toISOString(),
      confidentiality: 'N',
      author: 'service',
      masterIdentifier: `urn:uuid:${await uuidV5(`direct|${ref}`)}`,
      idPe: 'patient-externe-id-4',
      service: { oid: demo.oid, name: demo.name },
      now: new Date().toISOString(),
    });
    const builtAt = performance.now();
    const answer = await fetch(sandbox.fhirBase, {
      method: 'POST',
      body,
      headers: fhirHeaders(direct, { 'content-type': 'application/fhir+json' }),
    });
    if (answer.status !== 200) throw new Error(`direct post: ${answer.status} ${await answer.text()}`);
    await answer.arrayBuffer();
    const done = performance.now();
    // The first round warms up connections and JIT: not counted.
    if (round > 0) {
      kit.push(kitMs);
      straight.push(done - builtAt);
      built.push(done - started);
    }
  }

  const throttledPage = pageClient(proxied);
  const upload: number[] = [];
  const raw: number[] = [];
  const delivered: number[] = [];
  for (let round = 0; round < THROTTLED_ROUNDS; round++) {
    const bytes = pdfOf(SIZE);
    let started = performance.now();
    const response = await fetch(`${sinkUrl}/upload`, {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/pdf' },
    });
    if (response.status !== 204) throw new Error(`raw upload: ${response.status}`);
    raw.push(performance.now() - started);
    started = performance.now();
    const result = await throttledPage.sendDocument({
      file: new Blob([bytes], { type: 'application/pdf' }),
      title: `Mon document ${round}`,
      type: 'DOCPAT03',
      author: 'patient',
    });
    upload.push(performance.now() - started);
    delivered.push(proxyState.lastByteAt - started);
    if (result.alreadyPresent) throw new Error('each round must send a new document');
  }

  const row = (label: string, ms: number) => console.log(`  ${label.padEnd(66)} ${ms.toFixed(0).padStart(6)} ms`);
  const ratio = (label: string, value: number, budget: number) =>
    console.log(`  ${label.padEnd(66)} ${value.toFixed(3)}×  (budget ${budget}×) ${value <= budget ? 'OK' : 'OVER'}`);
  const [k, s, b] = [median(kit), median(straight), median(built)];
  console.log(`A 5 MB document the host holds, ${ROUNDS} rounds (median):`);
  row('the page names it, the gateway sends it (sendDocument({ ref }))', k);
  row('the same ITI-65 bundle posted from the server straight to the sandbox', s);
  row('the server building that bundle (SHA-1, base64) and posting it', b);
  ratio('kit / posting the bundle', k / s, 1.1);
  ratio('kit / building and posting the bundle', k / b, 1.1);
  const [u, r] = [median(upload), median(raw)];
  console.log(`A patient's 5 MB file over a 10 Mbit/s uplink, ${THROTTLED_ROUNDS} rounds (median):`);
  row('sendDocument({ file, author: "patient" }) via proxy → gateway → sandbox', u);
  row('raw upload of the same bytes through the same proxy', r);
  ratio('kit / raw upload', u / r, 1.05);
  // Where the rest goes: the patient's link, then the servers once the last byte is in.
  const d = median(delivered);
  row('of which: until the gateway holds the last byte', d);
  row('of which: after it (the gateway builds and posts, MES files 5 MB)', u - d);
  console.log(`  ${"the patient's link alone: kit / raw upload".padEnd(66)} ${(d / r).toFixed(3)}×`);
  // Without the kit, a host would take the raw bytes and then file them in MES itself.
  console.log(
    `  ${'kit / (raw upload + the server building and posting the bundle)'.padEnd(66)} ${(u / (r + b)).toFixed(3)}×`,
  );
} finally {
  for (const server of [proxy, sink, sinkProxy]) {
    server.closeAllConnections();
    server.close();
  }
  await harness.close();
}
