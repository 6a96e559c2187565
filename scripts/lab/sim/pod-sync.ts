// The kubelets' pod side: watch bound pods, and for pods on live simulated nodes report them
// Running/Ready or finish their deletion (grace 0). Writes go through a keyed, bounded work queue.
// A pod with attachable volumes (./volumes.ts) has them reported in use on its node and runs only
// once the attach/detach controller has attached them there, as a kubelet waits before mounting.
import type { KubeApi } from "./api";
import { expectCode, STRATEGIC_PATCH } from "./api";
import { PodIpPool } from "./ip-pool";
import type { KObject } from "./list-watch";
import { ListWatcher } from "./list-watch";
import type { ContainerRef } from "./objects";
import { runningPodStatusPatch } from "./objects";
import type { Counters } from "./stats";
import type { PodVolumes } from "./volumes";
import { KeyedWorkQueue } from "./work-queue";

interface KPod extends KObject {
  metadata: KObject["metadata"] & { deletionTimestamp?: string };
  spec: {
    nodeName?: string;
    containers: ContainerRef[];
    initContainers?: ContainerRef[];
    volumes?: { persistentVolumeClaim?: { claimName: string } }[];
  };
  status?: { phase?: string; podIP?: string; startTime?: string; conditions?: { type: string; status: string }[] };
}

/** What the simulator remembers of a pod: enough to act on it without another GET. */
interface PodEntry {
  namespace: string;
  name: string;
  uid: string;
  node: string;
  rv: number;
  deleting: boolean;
  finished: boolean;
  /** Not yet Running with Ready=True (and not finished). */
  needsRun: boolean;
  /** Its PersistentVolumeClaims. */
  claims: string[];
  podIP?: string;
  startTime?: string;
  containers: ContainerRef[];
  initContainers: ContainerRef[];
}

export interface PodHost {
  hostIP: string;
  live: boolean;
}

export interface PodSyncContext {
  api: KubeApi;
  counters: Counters;
  /** The simulated node of that name, or undefined when it is not ours. */
  node: (name: string) => PodHost | undefined;
  onError: (what: string, e: unknown) => void;
  concurrency: number;
  volumes: PodVolumes;
  /** The node's kubelet reports these in node.status.volumesInUse; resolves once written (or kept for its return). */
  setVolumesInUse: (node: string, names: string[]) => Promise<void>;
}

const RETRY_MS = 1_000;
/** How often a pod waiting for its volumes to be attached looks again. */
const ATTACH_POLL_MS = 500;
const isLoopback = (ip: string | undefined): ip is string => !!ip && ip.startsWith("127.");
const refs = (cs: ContainerRef[] | undefined) => (cs ?? []).map((c) => ({ name: c.name, image: c.image }));

function toEntry(p: KPod, node: string): PodEntry {
  const st = p.status ?? {};
  const ready = st.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
  const finished = st.phase === "Succeeded" || st.phase === "Failed";
  return {
    namespace: p.metadata.namespace ?? "default",
    name: p.metadata.name,
    uid: p.metadata.uid,
    node,
    rv: Number(p.metadata.resourceVersion ?? 0),
    deleting: !!p.metadata.deletionTimestamp,
    finished,
    needsRun: !finished && !(st.phase === "Running" && ready),
    claims: (p.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : [])),
    podIP: st.podIP,
    startTime: st.startTime,
    containers: refs(p.spec.containers),
    initContainers: refs(p.spec.initContainers),
  };
}

export class PodSync {
  private readonly cache = new Map<string, PodEntry>();
  private readonly ips = new PodIpPool();
  /** Pod uid → the unique names of its attachable volumes, once resolved ([] for none). */
  private readonly podVolumes = new Map<string, string[]>();
  private readonly queue: KeyedWorkQueue;
  private readonly watcher: ListWatcher<KPod>;
  private listed = new Set<string>();
  private stopped = false;

  constructor(private readonly ctx: PodSyncContext) {
    this.queue = new KeyedWorkQueue(
      ctx.concurrency,
      (k) => this.sync(k),
      (k, e) => this.retry(k, e),
    );
    this.watcher = new ListWatcher<KPod>(
      ctx.api,
      "/api/v1/pods",
      // Only pods bound to some node; ours are picked out locally (a field selector takes one value).
      `fieldSelector=${encodeURIComponent("spec.nodeName!=")}`,
      {
        listStart: () => {
          this.listed = new Set();
        },
        listed: (p) => {
          this.listed.add(this.upsert(p));
        },
        listDone: () => {
          for (const k of [...this.cache.keys()]) if (!this.listed.has(k)) this.remove(k);
          this.listed = new Set();
        },
        event: (type, p) => (type === "DELETED" ? this.remove(keyOf(p)) : void this.upsert(p)),
      },
      ctx.onError,
    );
  }

  get stats() {
    return {
      pending: this.queue.pending,
      inFlight: this.queue.inFlight,
      lists: this.watcher.lists,
      events: this.watcher.events,
      cachedPods: this.cache.size,
    };
  }

  start() {
    this.watcher.start();
  }

  stop() {
    this.stopped = true;
    this.watcher.stop();
    this.queue.stop();
  }

  /** A node became live: handle the pods that waited for it. */
  nodeLive(node: string) {
    for (const [k, e] of this.cache) if (e.node === node && this.hasWork(e)) this.queue.add(k);
  }

  private hasWork(e: PodEntry) {
    return e.deleting || e.needsRun || (e.claims.length > 0 && !e.finished && !this.podVolumes.has(e.uid));
  }

  /** Resolves when no pod work is queued or running (tests, benchmarks). */
  idle() {
    return this.queue.idle();
  }

  private upsert(p: KPod): string {
    const key = keyOf(p);
    const node = p.spec.nodeName;
    if (!node || !this.ctx.node(node)) {
      // Not on a simulated node: a real kubelet elsewhere would own it.
      if (this.cache.has(key)) this.remove(key);
      return key;
    }
    const old = this.cache.get(key);
    const entry = toEntry(p, node);
    if (old && old.uid === entry.uid && old.rv >= entry.rv) return key; // stale (we already saw our own write)
    if (old?.podIP) {
      // Allocated, but our status write is not visible yet: keep the address for the retry.
      if (old.uid === entry.uid && !entry.podIP) entry.podIP = old.podIP;
      else if (old.podIP !== entry.podIP) this.ips.release(old.podIP);
    }
    if (isLoopback(entry.podIP)) this.ips.reserve(entry.podIP);
    if (old && old.uid !== entry.uid) this.forgetVolumes(old);
    this.cache.set(key, entry);
    if (entry.finished) this.forgetVolumes(entry); // unmounted
    if (this.hasWork(entry) && this.ctx.node(node)?.live) this.queue.add(key);
    return key;
  }

  private remove(key: string) {
    const e = this.cache.get(key);
    if (!e) return;
    if (isLoopback(e.podIP)) this.ips.release(e.podIP);
    this.cache.delete(key);
    this.forgetVolumes(e);
  }

  /** The pod's volumes are no longer in use on its node (it is gone or finished). */
  private forgetVolumes(e: PodEntry) {
    const names = this.podVolumes.get(e.uid);
    this.podVolumes.delete(e.uid);
    if (names?.length) this.reportInUse(e.node).catch((err: unknown) => this.ctx.onError(`volumes in use on ${e.node}`, err));
  }

  /** Every attachable volume of the node's pods that are not finished, sorted. */
  private reportInUse(node: string) {
    const names = new Set<string>();
    for (const e of this.cache.values()) {
      if (e.node !== node || e.finished) continue;
      for (const n of this.podVolumes.get(e.uid) ?? []) names.add(n);
    }
    return this.ctx.setVolumesInUse(node, [...names].sort());
  }

  private async sync(key: string) {
    const e = this.cache.get(key);
    if (!e || this.stopped) return;
    const host = this.ctx.node(e.node);
    if (!host?.live) return; // waits until nodeLive()
    const path = `/api/v1/namespaces/${e.namespace}/pods/${e.name}`;
    if (e.deleting) {
      const body = { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 0, preconditions: { uid: e.uid } };
      const r = await this.ctx.api.request("DELETE", path, body);
      // 404: already gone; 409: the name now belongs to a new pod (uid precondition), not ours to delete.
      if (expectCode(`delete pod ${key}`, r, 200, 202, 404, 409).code < 300) this.ctx.counters.podsFinalized++;
      return;
    }
    if (e.finished) return;
    if (e.claims.length && !this.podVolumes.has(e.uid)) {
      const names = await this.ctx.volumes.attachable(e.namespace, e.claims);
      if (this.cache.get(key)?.uid !== e.uid) return; // gone or replaced meanwhile
      this.podVolumes.set(e.uid, names);
      if (names.length) await this.reportInUse(e.node);
    }
    if (!e.needsRun) return;
    const volumes = this.podVolumes.get(e.uid) ?? [];
    if (volumes.length) {
      const attached = await this.ctx.volumes.attachedTo(e.node);
      if (!volumes.every((v) => attached.has(v))) {
        // Not attached here yet (the controller may be detaching it from the node it was on).
        setTimeout(() => this.queue.add(key), ATTACH_POLL_MS);
        return;
      }
    }
    e.podIP ??= this.ips.allocate();
    const patch = runningPodStatusPatch({ ...e, hostIP: host.hostIP, podIP: e.podIP }, Date.now());
    const r = await this.ctx.api.request("PATCH", `${path}/status`, patch, { contentType: STRATEGIC_PATCH });
    if (r.code === 404) return;
    expectCode(`pod status ${key}`, r, 200);
    this.ctx.counters.podsMarkedRunning++;
    this.upsert(JSON.parse(r.text) as KPod); // so a late watch event of the old state is seen as stale
  }

  private retry(key: string, e: unknown) {
    this.ctx.onError(`pod ${key}`, e);
    if (!this.stopped) setTimeout(() => this.queue.add(key), RETRY_MS);
  }
}

const keyOf = (p: KObject) => `${p.metadata.namespace ?? "default"}/${p.metadata.name}`;
