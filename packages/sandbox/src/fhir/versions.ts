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
