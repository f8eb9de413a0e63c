/** Versions of stored resources: what `meta` says of them, and how a transaction-response reports them. */
import type { FhirResource } from '@mes-kit/core';
import type { StoredResource } from '../store/store.js';

export function stamp<R extends FhirResource>(resource: R, id: string, versionId: number, now: Date): R {
  const meta = {
    ...(resource['meta'] as object | undefined),
    versionId: String(versionId),
    lastUpdated: now.toISOString(),
  };
  return { ...resource, id, meta };
}

/** A resource as first stored: a new id, version 1. */
export function firstVersion(type: string, persona: string, resource: FhirResource, now: Date): StoredResource {
  const id = crypto.randomUUID();
  return { type, id, persona, versionId: 1, lastUpdated: now.toISOString(), resource: stamp(resource, id, 1, now) };
}

/** The stored resource's next version, holding `resource`. */
export function nextVersion(entry: StoredResource, resource: FhirResource, now: Date): StoredResource {
  const versionId = entry.versionId + 1;
  return { ...entry, versionId, lastUpdated: now.toISOString(), resource: stamp(resource, entry.id, versionId, now) };
}

export function entryResponse(entry: StoredResource, created: boolean) {
  return {
    response: {
      status: created ? '201 Created' : '200 OK',
      location: `${entry.type}/${entry.id}/_history/${entry.versionId}`,
      etag: `W/"${entry.versionId}"`,
      lastModified: entry.lastUpdated,
    },
  };
}
