import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DroppedResponse, InjectedFaults, withFaults, type FaultSettings } from '../../packages/sandbox/src/faults.js';

describe('fault injection counts what it injects', () => {
  const settings: FaultSettings = { errorRate: 0.5, latencyMs: 1, statuses: [500, 429], dropResponseRate: 0.5 };
  const request = () => new Request('http://localhost/fhir/Observation');

  it('errors by status, delays, and answers dropped after the handler ran; cleared on demand', async () => {
    // Each request draws: error?, then (for an error) which status; else, after the handler, drop?
    const draws = [0.1, 0.1, 0.1, 0.9, 0.9, 0.1, 0.9, 0.9];
    const injected = new InjectedFaults();
    let handled = 0;
    const fhir = withFaults(
      async () => {
        handled++;
        return new Response('{}');
      },
      () => settings,
      injected,
      () => draws.shift()!,
    );
    assert.equal((await fhir(request())).status, 500);
    assert.equal((await fhir(request())).status, 429);
    assert.equal(handled, 0, 'an error answer is given before the handler');
    await assert.rejects(fhir(request()), DroppedResponse);
    assert.equal((await fhir(request())).status, 200);
    assert.equal(handled, 2);
    assert.deepEqual(injected.toJSON(), { requests: 4, delayed: 4, statuses: { 500: 1, 429: 1 }, dropped: 1 });
    injected.clear();
    assert.deepEqual(injected.toJSON(), { requests: 0, delayed: 0, statuses: {}, dropped: 0 });
  });
});
