// Leader election's rule, pure: what a candidate does with the Lease it just read. As client-go's
// leaderelection does, expiry is judged on our own clock, from when we last saw the record change
// — never by comparing the holder's renewTime with our clock, which may disagree with the holder's.
// One exception: a holder the database knows is gone (lib/instance: it said it stopped, or its pid
// on this host no longer runs) is replaced at once, so a restarted replica need not wait out the
// Lease of the process it replaces.

/** The parts of a coordination.k8s.io/v1 Lease the election reads. */
export type TLeaseRecord = {
  holder: string | null;
  durationSeconds: number;
  renewTime: string | null;
  transitions: number;
};

export type TLeaseMove =
  | { kind: "create" }
  | { kind: "renew" }
  | { kind: "acquire"; why: "released" | "expired" | "holder-gone" }
  | { kind: "follow"; holder: string; expiresAt: number };

/** The identity other candidates know us by: the host (pod name) and this process's Instance id. */
export const leaderIdentity = (host: string, instanceId: string) => `${host}_${instanceId}`;

/** The Instance id inside an identity ours wrote (hostnames have no "_"), or null for another writer's. */
export function instanceIdOf(identity: string): string | null {
  const id = identity.slice(identity.lastIndexOf("_") + 1);
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? id : null;
}

/** A record is "the same" while holder and renewTime stay: then its age runs on our clock. */
export const recordKey = (r: TLeaseRecord) => `${r.holder ?? ""}|${r.renewTime ?? ""}`;

export function decideLease(options: {
  record: TLeaseRecord | null;
  self: string;
  /** When (our clock, ms) we first saw this record unchanged. */
  observedAt: number;
  now: number;
  holderGone: boolean;
}): TLeaseMove {
  const { record, self, observedAt, now, holderGone } = options;
  if (!record) return { kind: "create" };
  if (record.holder === self) return { kind: "renew" };
  if (!record.holder) return { kind: "acquire", why: "released" };
  if (holderGone) return { kind: "acquire", why: "holder-gone" };
  const expiresAt = observedAt + record.durationSeconds * 1000;
  if (expiresAt <= now) return { kind: "acquire", why: "expired" };
  return { kind: "follow", holder: record.holder, expiresAt };
}

/** Go's metav1.MicroTime on the wire: RFC 3339 with six fractional digits (a Date would send three, refused). */
export const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
