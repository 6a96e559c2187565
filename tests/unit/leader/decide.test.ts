import { describe, expect, it } from "vitest";
import { decideLease, instanceIdOf, leaderIdentity, microTime, recordKey, type TLeaseRecord } from "@/lib/leader/decide";

const ID = "3f2a7c1e-8b4d-4e6f-9a0b-1c2d3e4f5a6b";
const me = leaderIdentity("node-rescue-7d9f-abcde", ID);
const other = leaderIdentity("node-rescue-7d9f-fghij", "0b6f4e2a-1111-4222-8333-944455556666");
const now = 1_000_000;
const held = (over: Partial<TLeaseRecord> = {}): TLeaseRecord => ({
  holder: other,
  durationSeconds: 15,
  renewTime: "2026-12-04T01:00:00.000000Z",
  transitions: 3,
  ...over,
});

describe("decideLease", () => {
  it("creates a missing Lease, renews its own, takes a released one", () => {
    expect(decideLease({ record: null, self: me, observedAt: now, now, holderGone: false })).toEqual({ kind: "create" });
    expect(decideLease({ record: held({ holder: me }), self: me, observedAt: now - 60_000, now, holderGone: false })).toEqual({
      kind: "renew",
    });
    expect(decideLease({ record: held({ holder: null }), self: me, observedAt: now, now, holderGone: false })).toEqual({
      kind: "acquire",
      why: "released",
    });
  });

  it("follows a live holder until the record has not changed for a Lease duration on our clock", () => {
    const record = held();
    expect(decideLease({ record, self: me, observedAt: now - 14_999, now, holderGone: false })).toEqual({
      kind: "follow",
      holder: other,
      expiresAt: now + 1,
    });
    expect(decideLease({ record, self: me, observedAt: now - 15_000, now, holderGone: false })).toEqual({
      kind: "acquire",
      why: "expired",
    });
  });

  it("never judges expiry by the holder's renewTime (its clock may differ from ours)", () => {
    // renewTime an hour old by our clock, but we saw this record only a second ago: still follow.
    const record = held({ renewTime: new Date(now - 3_600_000).toISOString() });
    expect(decideLease({ record, self: me, observedAt: now - 1_000, now, holderGone: false }).kind).toBe("follow");
  });

  it("replaces at once a holder the database knows is gone", () => {
    expect(decideLease({ record: held(), self: me, observedAt: now, now, holderGone: true })).toEqual({
      kind: "acquire",
      why: "holder-gone",
    });
  });
});

describe("identities and records", () => {
  it("reads our Instance id back from an identity, and nothing from another writer's", () => {
    expect(instanceIdOf(me)).toBe(ID);
    expect(instanceIdOf("kube-controller-manager_abc")).toBeNull();
    expect(instanceIdOf("plain-host")).toBeNull();
  });

  it("a record is the same while holder and renewTime stay", () => {
    expect(recordKey(held())).toBe(recordKey(held({ transitions: 9 })));
    expect(recordKey(held())).not.toBe(recordKey(held({ renewTime: "2026-12-04T01:00:02.000000Z" })));
    expect(recordKey(held())).not.toBe(recordKey(held({ holder: me })));
  });

  it("writes MicroTime with six fractional digits", () => {
    expect(microTime(Date.UTC(2026, 11, 4, 1, 2, 3, 45))).toBe("2026-12-04T01:02:03.045000Z");
  });
});
