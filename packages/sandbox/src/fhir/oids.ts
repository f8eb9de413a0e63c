/**
 * OIDs as MES compares them: a service files under its own OID or a sub-OID of it, and never under
 * another registered service's, even one whose OID lies under its own.
 */

/** The OID a `urn:oid:` URI names (arcs without leading zeros), if it is one. */
export function oidOf(uri: string): string | undefined {
  return /^urn:oid:((?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))*)$/.exec(uri)?.[1];
}

/** Whether `oid` is `root` or one of its sub-OIDs (`1.2.3` holds `1.2.3.4`, not `1.2.34`). */
export function isUnderOid(oid: string, root: string): boolean {
  return oid === root || oid.startsWith(`${root}.`);
}

/** Whose `oid` is: the most specific of the registered OIDs that it lies under. */
export function ownerOid(oid: string, registered: readonly string[]): string | undefined {
  return registered
    .filter((root) => isUnderOid(oid, root))
    .reduce<string | undefined>((owner, root) => (owner && owner.length >= root.length ? owner : root), undefined);
}
