import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { httpRequest, requestWithRetry } from '@mes-kit/core';

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('httpRequest', () => {
  const elsewhere: string[] = [];
  const other = createServer((request, response) => {
    elsewhere.push(`${request.method} ${request.url}`);
    response.end('{}');
  });
  let mes: Server | undefined;
  after(() => {
    other.close();
    mes?.close();
  });

  it('never follows a redirect: the ID token and the patient’s idPe go nowhere else', async () => {
    const target = await listening(other);
    mes = createServer((_request, response) => response.writeHead(302, { location: `${target}/x` }).end());
    const origin = await listening(mes);
    for (const method of ['GET', 'POST']) {
      await assert.rejects(
        httpRequest(`${origin}/fhir/Appointment?patient.identifier=urn:oid:1.2.250.1.215.400|patient-externe-id-2`, {
          method,
          headers: { 'x-id-token': 'eyJ.id.token' },
          ...(method === 'POST' && { body: '{}' }),
        }),
        TypeError,
      );
    }
    assert.deepEqual(elsewhere, []);
  });

  it('an answer whose body never ends is cut at the time limit, however often memory is collected', async () => {
    // Node 20 may collect the attempt's combined signal while the body is read (nodejs/node#57736).
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const stuck = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/fhir+json' });
      response.write('{"resourceType":');
    });
    const origin = await listening(stuck);
    const collecting = setInterval(collect, 20);
    const started = performance.now();
    try {
      const response = await requestWithRetry(
        (request, options) =>
          httpRequest(`${origin}/${request.path}`, { method: 'GET', headers: {}, signal: options?.signal }),
        { method: 'GET', path: 'Appointment' },
        {
          signal: new AbortController().signal,
          policy: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 500 },
        },
      );
      await assert.rejects(response.text(), (error: Error) => error.name === 'TimeoutError');
      assert.ok(performance.now() - started < 5_000, `cut after ${Math.round(performance.now() - started)} ms`);
    } finally {
      clearInterval(collecting);
      stuck.closeAllConnections();
      stuck.close();
    }
  });
});
