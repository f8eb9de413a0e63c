/**
 * Filing one measure (MES « bundle d'alimentation », mes-interop §3.3): its device, created unless
 * MES knows it already by its identifier, then the Observation, all or nothing. MES does not
 * deduplicate Observations: the same reading posted twice is filed twice, so a client looks for
 * what it sent before it sends again.
 */
import type { TransactionEntry } from '@mes-kit/core';
import type { StoredResource } from '../../store/store.js';
import type { Caller } from '../auth.js';
import type { FhirContext } from '../context.js';
import { fhirJson } from '../outcome.js';
import type { TransactionKind } from '../transaction.js';
import { firstVersion } from '../versions.js';
import { checkMeasureSubmission } from './validation.js';

/** As MES answers each entry (fixture transaction-response-alimentation.json): a status and `<type>/<id>`. */
const answerOf = (entry: StoredResource, created: boolean) => ({
  response: { status: created ? '201 Created' : '200 OK', location: `${entry.type}/${entry.id}` },
});

async function fileMeasure(entries: TransactionEntry[], caller: Caller, ctx: FhirContext): Promise<Response> {
  const { observation, device, storedDeviceId } = checkMeasureSubmission(entries, caller, ctx);
  const persona = caller.persona.key;
  const now = ctx.now();
  const answers = new Map<number, object>();
  ctx.store.transaction(() => {
    let deviceId = storedDeviceId;
    if (device) {
      // Looked up inside the write transaction: concurrent readings of a new device then create it once.
      const { system, value } = device.identifier;
      const known = ctx.store.findByIdentifier(persona, 'Device', system, value);
      const stored = known ?? firstVersion('Device', persona, device.resource, now);
      if (!known) ctx.store.put(stored);
      deviceId = stored.id;
      answers.set(device.index, answerOf(stored, !known));
    }
    const { resource } = observation;
    const stored = firstVersion(
      'Observation',
      persona,
      {
        ...resource,
        // MES records who sent it when the service does not say.
        meta: { ...resource.meta, source: resource.meta?.source ?? `urn:oid:${caller.service.oid}` },
        device: { ...resource.device, reference: `Device/${deviceId}` },
      },
      now,
    );
    ctx.store.put(stored);
    answers.set(observation.index, answerOf(stored, true));
  });
  return fhirJson({
    resourceType: 'Bundle',
    type: 'transaction-response',
    entry: entries.map((_, i) => answers.get(i)),
  });
}

export const measureSubmission: TransactionKind = {
  description: 'a measure (one Observation, and its PhdDevice)',
  resourceTypes: ['Observation', 'Device'],
  handle: fileMeasure,
};
