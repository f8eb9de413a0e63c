import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MesClient, gatewayTransport, type OperationProgress } from '@mes-kit/core';
import { pdfBlob, pdfBytes } from '../helpers/documents.js';
import { SESSION } from '../helpers/scripted-transport.js';
import { failure } from '../helpers/errors.js';

const BASE = 'https://portail.example.fr/mes';
const encoder = new TextEncoder();

/** A body that arrives in these pieces (bytes split anywhere, even inside a character), then ends or breaks. */
function stream(chunks: (string | Uint8Array)[], end: 'close' | 'error' = 'close') {
  const pending = chunks.map((chunk) => (typeof chunk === 'string' ? encoder.encode(chunk) : chunk));
  // Pulled one piece at a time: an error raised with pieces still queued would discard them.
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = pending.shift();
      if (next) controller.enqueue(next);
      else if (end === 'close') controller.close();
      else controller.error(new TypeError('terminated'));
    },
  });
}

const ndjson = (body: ReadableStream<Uint8Array> | string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'application/x-ndjson' } });

/** A fetch that records what it is asked and answers the operation with `answer`. */
function gateway(answer: () => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init = {}) => {
    const url = input instanceof Request ? input.url : input.toString();
    calls.push({ url, init });
    if (url.endsWith('/session')) return Response.json(SESSION);
    return answer();
  };
  return { transport: gatewayTransport({ baseUrl: BASE, fetch }), calls };
}

const line = (message: unknown) => `${JSON.stringify(message)}\n`;
const RESULT = {
  total: 1,
  documents: [{ id: 'd1', title: 'Compte rendu d’échographie', contentType: 'application/pdf' }],
};

describe('gateway transport: operations over NDJSON', () => {
  it('posts the input as JSON with the kit’s header, reads progress lines as they come, then the result', async () => {
    const text =
      line({ progress: { phase: 'preparing', ratio: 0 } }) + line({ progress: { phase: 'uploading', ratio: 0.5 } });
    const result = line({ result: RESULT });
    const bytes = encoder.encode(text + result);
    // Cut inside a line and inside the two bytes of « é »: lines must still come out whole.
    const e = bytes.indexOf(0xc3);
    const { transport, calls } = gateway(() =>
      ndjson(
        stream([bytes.slice(0, 10), bytes.slice(10, e + 1), bytes.slice(e + 1, bytes.length - 3), bytes.slice(-3)]),
      ),
    );
    const progress: OperationProgress[] = [];
    const answer = await transport.run('find-documents', { count: 5 }, { onProgress: (p) => progress.push(p) });
    assert.deepEqual(answer, RESULT);
    assert.deepEqual(progress, [
      { phase: 'preparing', ratio: 0 },
      { phase: 'uploading', ratio: 0.5 },
    ]);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].url, `${BASE}/operations/find-documents`);
    assert.equal(calls[0].init.method, 'POST');
    const headers = new Headers(calls[0].init.headers);
    assert.equal(headers.get('x-mes-kit'), '1');
    assert.equal(headers.get('content-type'), 'application/json');
    assert.equal(calls[0].init.body, JSON.stringify({ count: 5 }));
  });

  it('an error line rejects with the gateway’s MesError, code, operation and field kept', async () => {
    const error = { code: 'MES_INVALID_INPUT', operation: 'send-document', field: 'ref', status: 400 };
    const { transport } = gateway(() => ndjson(line({ error }), 400));
    const thrown = await failure(transport.run('send-document', { ref: 'inconnu' }));
    assert.deepEqual(thrown.toJSON(), error);
  });

  it('a stream that ends without a result or an error is an unclear failure (MES_NETWORK)', async () => {
    const { transport } = gateway(() => ndjson(stream([line({ progress: { phase: 'uploading', ratio: 0.4 } })])));
    const thrown = await failure(transport.run('send-document', { ref: 'lettre-1' }));
    assert.equal(thrown.code, 'MES_NETWORK');
    assert.equal(thrown.retryable, true);
  });

  it('a connection cut in the middle of the result line is an unclear failure too, not a bad answer', async () => {
    const result = line({ result: { id: 'd1', masterIdentifier: 'urn:uuid:x', alreadyPresent: false } });
    const { transport } = gateway(() =>
      ndjson(stream([line({ progress: { phase: 'confirming', ratio: 0.95 } }), result.slice(0, 20)], 'error')),
    );
    assert.equal((await failure(transport.run('send-document', { ref: 'lettre-1' }))).code, 'MES_NETWORK');
  });

  it('a connection cut after the result still delivers it', async () => {
    const { transport } = gateway(() => ndjson(stream([line({ result: RESULT })], 'error')));
    assert.deepEqual(await transport.run('find-documents', {}), RESULT);
  });

  it('a line that is no message (`5`, `null`) is a bad answer, not a cut one; progress it cannot show is left out', async () => {
    for (const bad of ['5\n', 'null\n', '[]\n']) {
      const { transport } = gateway(() => ndjson(stream([bad])));
      assert.equal((await failure(transport.run('find-documents', {}))).code, 'MES_INVALID_RESPONSE', bad);
    }
    const seen: OperationProgress[] = [];
    const { transport } = gateway(() =>
      ndjson(
        stream([line({ progress: null }), line({ progress: { phase: 'x', ratio: 'half' } }), line({ result: RESULT })]),
      ),
    );
    assert.deepEqual(await transport.run('find-documents', {}, { onProgress: (p) => seen.push(p) }), RESULT);
    assert.deepEqual(seen, []);
  });

  it('a refusal streamed without its error line is a bad answer, not a cut one', async () => {
    const { transport } = gateway(() => ndjson('{}\n', 401));
    const thrown = await failure(new MesClient({ transport }).revoke());
    assert.deepEqual([thrown.code, thrown.status], ['MES_INVALID_RESPONSE', 401]);
  });

  it('an answer that is not NDJSON (a proxy’s error page) becomes a typed error', async () => {
    const { transport } = gateway(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    assert.equal((await failure(transport.run('find-documents', {}))).code, 'MES_UNAVAILABLE');
  });

  it('a patient’s file goes up as its raw bytes, its other fields in the x-mes-input header', async () => {
    const bytes = pdfBytes('upload');
    const file = pdfBlob('upload');
    const { transport, calls } = gateway(() =>
      ndjson(
        line({ progress: { phase: 'uploading', ratio: 0.5 } }) +
          line({ result: { id: 'd2', masterIdentifier: 'urn:uuid:y', alreadyPresent: false } }),
      ),
    );
    const client = new MesClient({ transport });
    const ratios: number[] = [];
    const result = await client.sendDocument(
      { file, title: 'Mon ordonnance', type: 'DOCPAT02' },
      { onProgress: (p) => ratios.push(p.ratio) },
    );
    assert.equal(result.id, 'd2');
    const call = calls.find((c) => c.url.endsWith('/operations/send-document'))!;
    assert.ok(call.init.body instanceof Blob, 'the bytes themselves, not base64 in JSON');
    assert.deepEqual(Buffer.from(await call.init.body.arrayBuffer()), bytes);
    const headers = new Headers(call.init.headers);
    assert.equal(headers.get('content-type'), 'application/pdf');
    assert.deepEqual(JSON.parse(decodeURIComponent(headers.get('x-mes-input')!)), {
      title: 'Mon ordonnance',
      type: 'DOCPAT02',
    });
    assert.deepEqual(
      ratios,
      [...ratios].sort((a, b) => a - b),
      'progress only goes forward',
    );
    assert.ok(ratios.includes(0.8) && ratios.includes(0.9), ratios.join(' '));
  });

  it('cancelling while the operation streams rejects with MES_ABORTED', async () => {
    const controller = new AbortController();
    const { transport } = gateway(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(stream) {
              stream.enqueue(encoder.encode(line({ progress: { phase: 'uploading', ratio: 0.1 } })));
              controller.signal.addEventListener('abort', () => stream.error(controller.signal.reason));
            },
          }),
          { headers: { 'content-type': 'application/x-ndjson' } },
        ),
    );
    const client = new MesClient({ transport });
    const running = client.run(
      'find-documents',
      {},
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    const thrown = await failure(running);
    assert.deepEqual([thrown.code, thrown.operation], ['MES_ABORTED', 'find-documents']);
  });
});
