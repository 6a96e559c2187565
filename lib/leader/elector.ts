// Several replicas, one leader: the holder of a coordination.k8s.io/v1 Lease in node-rescue's
// namespace records transitions and incidents, runs auto-repair, delivers notifications and
// reconciles interrupted actions; every replica watches and serves. The timings are client-go's
// defaults: a 15 s Lease, renewed every 2 s; a leader that could not renew for 10 s stops leading
// before anyone may take over (15 s after they last saw it change; a follower tries again at that
// moment, not a retry period later). Writes use the Lease's
// resourceVersion, so two candidates cannot both win. On shutdown the leader releases the Lease
// and the next one takes over within a retry period.
import { hostname } from "node:os";
import { type ConfigurationOptions, CoordinationV1Api, type KubeConfig, type V1Lease, type V1LeaseSpec } from "@kubernetes/client-node";
import { abortableCall } from "@/lib/k8s/call-options";
import { k8sStatusOf } from "@/lib/k8s/errors";
import { decideLease, microTime, recordKey, type TLeaseMove, type TLeaseRecord } from "./decide";

export type TLeaderTimings = { leaseSeconds: number; renewDeadlineSeconds: number; retrySeconds: number };

export const DEFAULT_LEADER_TIMINGS: TLeaderTimings = { leaseSeconds: 15, renewDeadlineSeconds: 10, retrySeconds: 2 };

export type TLeaderStatus = {
  /** false: leader election is off and this process always leads (one replica). */
  enabled: boolean;
  leader: boolean;
  identity: string;
  /** Who holds the Lease as this replica last read it. */
  holder: string | null;
  lease: string | null;
  /** When this replica last started leading. */
  leadingSince: string | null;
  lastError: string | null;
};

export type TLeaderElection = {
  isLeader: () => boolean;
  status: () => TLeaderStatus;
  /** Calls `listener` with every change of leadership here (true: started leading). */
  onChange: (listener: (leading: boolean) => void) => void;
  /** Stops, releasing the Lease if held. */
  stop: () => Promise<void>;
};

/** The one-replica mode: always the leader, no Lease. */
export function alwaysLeader(identity = hostname()): TLeaderElection {
  const since = new Date().toISOString();
  return {
    isLeader: () => true,
    status: () => ({ enabled: false, leader: true, identity, holder: identity, lease: null, leadingSince: since, lastError: null }),
    onChange: () => undefined,
    stop: async () => undefined,
  };
}

const recordOf = (lease: V1Lease): TLeaseRecord => ({
  holder: lease.spec?.holderIdentity || null,
  durationSeconds: lease.spec?.leaseDurationSeconds ?? DEFAULT_LEADER_TIMINGS.leaseSeconds,
  renewTime: lease.spec?.renewTime ? new Date(lease.spec.renewTime).toISOString() : null,
  transitions: lease.spec?.leaseTransitions ?? 0,
});

/** A Date-typed field carrying the exact wire string (the client passes non-Date values through). */
const wireTime = (ms: number) => microTime(ms) as unknown as Date;
/** A MicroTime read back (the client made it a Date) in the form the server accepts again. */
const rewire = (value: Date | undefined) => (value ? wireTime(new Date(value).getTime()) : undefined);

export function startLeaderElection(options: {
  kc: KubeConfig;
  namespace: string;
  name: string;
  identity: string;
  timings?: TLeaderTimings;
  /** Whether the holder is known to be gone (lib/instance), so its Lease need not expire first. */
  isHolderGone: (holder: string) => Promise<boolean>;
  log?: (message: string) => void;
}): TLeaderElection {
  const { namespace, name, identity } = options;
  const timings = options.timings ?? DEFAULT_LEADER_TIMINGS;
  const log = options.log ?? ((m: string) => console.log(`[node-rescue] ${m}`));
  const api = options.kc.makeApiClient(CoordinationV1Api);
  const listeners: Array<(leading: boolean) => void> = [];
  const stopping = new AbortController();
  let leading = false;
  let leadingSince: Date | null = null;
  /** Our clock when the Lease was last written by us (leader) — judged against the renew deadline. */
  let renewedAt = 0;
  let observed: { key: string; at: number } | null = null;
  let holder: string | null = null;
  let lastError: string | null = null;
  /** When the holder's Lease runs out on our clock (following): the next try is then, not a retry later. */
  let expiresAt: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const setLeading = (next: boolean, why: string) => {
    if (next === leading) return;
    leading = next;
    leadingSince = next ? new Date() : null;
    log(`leader election: ${next ? "leading" : "no longer leading"} (${why}; Lease ${namespace}/${name})`);
    for (const listener of listeners) listener(next);
  };

  /** Leading means a renewal within the deadline, on our clock: a stalled loop stops leading by itself. */
  const isLeader = () => leading && Date.now() - renewedAt < timings.renewDeadlineSeconds * 1000;

  const call = () => abortableCall(stopping.signal, undefined, timings.renewDeadlineSeconds * 1000);
  /** A replace carries the resourceVersion we read: a concurrent writer makes it fail with 409. */
  const replace = (current: V1Lease, spec: Partial<V1LeaseSpec>, options: ConfigurationOptions) =>
    api.replaceNamespacedLease({ name, namespace, body: { ...current, spec: { ...current.spec, ...spec } as V1LeaseSpec } }, options);

  const write = async (move: TLeaseMove, current: V1Lease | null, now: number) => {
    if (move.kind === "create") {
      await api.createNamespacedLease(
        {
          namespace,
          body: {
            metadata: { name, namespace },
            spec: {
              holderIdentity: identity,
              leaseDurationSeconds: timings.leaseSeconds,
              acquireTime: wireTime(now),
              renewTime: wireTime(now),
              leaseTransitions: 0,
            },
          },
        },
        call(),
      );
      return;
    }
    if (!current) return;
    const before = recordOf(current);
    const acquiring = move.kind === "acquire";
    await replace(
      current,
      {
        holderIdentity: identity,
        leaseDurationSeconds: timings.leaseSeconds,
        renewTime: wireTime(now),
        ...(acquiring
          ? { acquireTime: wireTime(now), leaseTransitions: before.transitions + (before.holder ? 1 : 0) }
          : { acquireTime: rewire(current.spec?.acquireTime) ?? wireTime(now) }),
      },
      call(),
    );
  };

  const attempt = async () => {
    const now = Date.now();
    let current: V1Lease | null = null;
    try {
      current = await api.readNamespacedLease({ name, namespace }, call());
    } catch (err) {
      if (k8sStatusOf(err).code !== 404) throw err;
    }
    const record = current ? recordOf(current) : null;
    holder = record?.holder ?? null;
    const key = record ? recordKey(record) : "";
    if (!observed || observed.key !== key) observed = { key, at: now };
    const holderGone = record?.holder && record.holder !== identity ? await options.isHolderGone(record.holder) : false;
    const move = decideLease({ record, self: identity, observedAt: observed.at, now, holderGone });
    expiresAt = move.kind === "follow" ? move.expiresAt : null;
    if (move.kind === "follow") {
      setLeading(false, `${move.holder} holds it`);
      return;
    }
    await write(move, current, now);
    renewedAt = now;
    holder = identity;
    observed = null;
    lastError = null;
    setLeading(true, move.kind === "acquire" ? `acquired: ${move.why}` : move.kind === "create" ? "created it" : "renewed");
  };

  const loop = () => {
    if (stopping.signal.aborted) return;
    running = attempt()
      .catch((err: unknown) => {
        if (stopping.signal.aborted) return;
        const s = k8sStatusOf(err);
        const message =
          s.code === 409
            ? "another replica wrote the Lease first"
            : s.code === 403
              ? `not allowed to read or write the Lease ${namespace}/${name} (RBAC: leases get/create/update in ${namespace}): ${s.message}`
              : s.code === 404
                ? `namespace ${namespace} not found: create it or set NODE_RESCUE_NAMESPACE`
                : s.message;
        if (message !== lastError && s.code !== 409) log(`leader election: ${message}`);
        lastError = message;
      })
      .finally(() => {
        if (leading && !isLeader()) setLeading(false, `no renewal for ${timings.renewDeadlineSeconds} s`);
        if (stopping.signal.aborted) return;
        const retryMs = timings.retrySeconds * 1000;
        timer = setTimeout(loop, expiresAt === null ? retryMs : Math.max(50, Math.min(retryMs, expiresAt - Date.now() + 10)));
        timer.unref();
      });
  };
  loop();

  return {
    isLeader,
    status: () => ({
      enabled: true,
      leader: isLeader(),
      identity,
      holder,
      lease: `${namespace}/${name}`,
      leadingSince: isLeader() && leadingSince ? leadingSince.toISOString() : null,
      lastError,
    }),
    onChange: (listener) => {
      listeners.push(listener);
    },
    stop: async () => {
      stopping.abort();
      clearTimeout(timer);
      await running;
      if (!leading) return;
      setLeading(false, "stopping");
      // Release: an empty holder lets the next candidate take over at its next try.
      try {
        const bounded = () => abortableCall(new AbortController().signal, undefined, 3_000);
        const current = await api.readNamespacedLease({ name, namespace }, bounded());
        if (current.spec?.holderIdentity !== identity) return;
        const released = { holderIdentity: "", leaseDurationSeconds: 1, renewTime: wireTime(Date.now()) };
        await replace(current, { ...released, acquireTime: rewire(current.spec.acquireTime) }, bounded());
      } catch (err) {
        log(`leader election: releasing the Lease failed: ${k8sStatusOf(err).message}`);
      }
    },
  };
}
