/**
 * Sending a 5 MB PDF through gateway and sandbox (MesClient.sendDocument: hashing, bundle, proxy,
 * MES-side checks and storage), against two bare fetches to the same sandbox in the same run,
 * interleaved: the raw PDF bytes (a plain upload), and an equivalent ITI-65 bundle posted straight
 * to the FHIR API (what MES itself costs, without the kit). Budget: 1.5×. Run: npx tsx bench/send-5mb.ts
 */
import { randomBytes } from 'node:crypto';
import { buildProvideDocumentBundle, bytesToBase64, sha1Base64 } from '@mes-kit/core';
import { adminTokens, fhirHeaders } from '../test/helpers/sandbox.js';
import { pairedGatewayClient, startGateway } from '../test/helpers/gateway.js';

const SIZE = 5_000_000;
const ROUNDS = Number(process.env['ROUNDS'] ?? 7);

function pdfOf(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(randomBytes(size));
  bytes.set(new TextEncoder().encode('%PDF-1.4\n'));
  return bytes;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const harness = await startGateway();
try {
  const client = await pairedGatewayClient(harness, ['DOC_ECRITURE']);

  // Another pairing (patient and client) so that the gateway's own pairing stays in place.
  const direct = await adminTokens(harness.sandbox.url, 'louis', ['DOC_ECRITURE'], 'mes-kit-public');
  const bundleFor = async (bytes: Uint8Array, round: number) =>
    JSON.stringify(
      buildProvideDocumentBundle({
        data: bytesToBase64(bytes),
        size: bytes.length,
        hash: await sha1Base64(bytes),
        contentType: 'application/pdf',
        title: `Direct ${round}`,
        type: '11488-4',
        date: new Date().toISOString(),
        confidentiality: 'N',
        masterIdentifier: `urn:uuid:${crypto.randomUUID()}`,
        idPe: 'patient-externe-id-4',
        service: { oid: '1.2.250.1.999.42.2', name: 'Bench' },
        now: new Date().toISOString(),
      }),
    );

  const bare: number[] = [];
  const mes: number[] = [];
  const kit: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const bytes = pdfOf(SIZE);
    let started = performance.now();
    const response = await fetch(`${harness.sandbox.fhirBase}/`, {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/pdf' },
    });
    await response.arrayBuffer();
    const bareMs = performance.now() - started;

    const body = await bundleFor(bytes, round);
    started = performance.now();
    const straight = await fetch(harness.sandbox.fhirBase, {
      method: 'POST',
      body,
      headers: fhirHeaders(direct, { 'content-type': 'application/fhir+json' }),
    });
    if (straight.status !== 200) throw new Error(`direct post: ${straight.status} ${await straight.text()}`);
    const mesMs = performance.now() - started;

    const file = new Blob([bytes], { type: 'application/pdf' });
    started = performance.now();
    const result = await client.sendDocument({
      file,
      title: `Bench ${round}`,
      type: '11488-4',
      id: `bench-${round}-${Date.now()}`,
    });
    const kitMs = performance.now() - started;
    if (result.alreadyPresent) throw new Error('each round must send a new document');
    // The first round warms up connections and JIT: not counted.
    if (round > 0) {
      bare.push(bareMs);
      mes.push(mesMs);
      kit.push(kitMs);
    }
  }
  const [k, b, m] = [median(kit), median(bare), median(mes)];
  console.log(`5 MB PDF, ${ROUNDS} rounds (median):`);
  console.log(`  bare fetch of the PDF bytes to the sandbox                 ${b.toFixed(0).padStart(5)} ms`);
  console.log(`  bare fetch of an ITI-65 bundle to the sandbox FHIR API     ${m.toFixed(0).padStart(5)} ms`);
  console.log(`  sendDocument through gateway + sandbox                     ${k.toFixed(0).padStart(5)} ms`);
  console.log(`  ratio to the raw upload     ${(k / b).toFixed(2)}×  (budget 1.5×) ${k / b <= 1.5 ? 'OK' : 'OVER'}`);
  console.log(`  ratio to the direct bundle  ${(k / m).toFixed(2)}×  (budget 1.5×) ${k / m <= 1.5 ? 'OK' : 'OVER'}`);
} finally {
  await harness.close();
}
