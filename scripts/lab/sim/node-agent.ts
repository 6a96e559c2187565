// One simulated kubelet's node side: registration, Lease renewals and Ready heartbeats, and the
// stop/start of the kubelet. All nodes share one process; each keeps its own timers.
import { randomUUID } from "node:crypto";
import type { THeartbeat, TSimNode } from "../state";
import type { ApiResponse, KubeApi, Pool } from "./api";
import { expectCode, MERGE_PATCH, STRATEGIC_PATCH } from "./api";
import { fullStatusPatch, heartbeatStatusPatch, leaseManifest, leasesPath, nodeManifest } from "./objects";
import { nextSlot } from "./schedule";
import type { Counters } from "./stats";

export interface NodeContext {
  api: KubeApi;
  heartbeat: THeartbeat;
  /** nodeInfo.kubeletVersion: the control plane's version. */
  kubeletVersion: string;
  counters: Counters;
  log: (line: string) => void;
  onError: (what: string, e: unknown) => void;
  /** The node became live (registered or restarted): its pods need handling. */
  onLive: (node: string) => void;
}

const RETRY_MS = 2_000;
const rvOf = (text: string) => (JSON.parse(text) as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;

interface KNode {
  metadata: { uid: string };
  status?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}

export class NodeAgent {
  /** The kubelet is stopped (marker file present): nothing is written for this node. */
  stopped = false;
  registered = false;
  private uid = "";
  private leaseRv: string | undefined;
  private readySinceMs = Date.now();
  private readonly bootId = randomUUID();
  private registering: Promise<void> | null = null;
  // Bumped on every stop/start so a request in flight from an older run never re-arms a timer.
  private epoch = 0;
  private timers: NodeJS.Timeout[] = [];
  private renewSlot = 0;
  private statusSlot = 0;
  /** node.status.volumesInUse as the pods want it, and as last written ("\n"-joined). */
  private volumesInUse: string[] = [];
  private volumesInUseWritten: string | null = null;
  private volumesInUseWrite: Promise<void> = Promise.resolve();

  constructor(
    readonly cfg: TSimNode,
    private readonly ctx: NodeContext,
    /** Grid origin + this node's phase (ms since epoch) for lease renewals and status updates. */
    private readonly renewOrigin: number,
    private readonly statusOrigin: number,
  ) {}

  get name() {
    return this.cfg.name;
  }

  get live() {
    return this.registered && !this.stopped;
  }

  private get leasePath() {
    return `${leasesPath}/${this.name}`;
  }

  /** Registers the node (coalescing concurrent callers); on failure retries in the background. */
  async start(): Promise<void> {
    if (this.stopped) return; // stopped before its turn came; resume() registers it
    const epoch = this.epoch;
    try {
      await this.register();
      if (epoch !== this.epoch || this.stopped) return;
      this.armHeartbeats();
      this.ctx.onLive(this.name);
    } catch (e) {
      this.ctx.onError(`${this.name}: register`, e);
      if (epoch === this.epoch && !this.stopped) this.later(() => void this.start(), RETRY_MS);
    }
  }

  /** Kubelet stopped: cancel everything; requests already in flight finish but re-arm nothing. */
  stop() {
    this.stopped = true;
    this.epoch++;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }

  /** Kubelet started again: Ready from now, re-register if the Node is gone, renew at once. */
  resume() {
    if (!this.stopped) return;
    this.stopped = false;
    this.epoch++;
    this.readySinceMs = Date.now();
    void this.comeBack();
  }

  private async comeBack() {
    const epoch = this.epoch;
    try {
      if (!this.registered) await this.register();
      else {
        const inUse = this.volumesInUse;
        const s = await this.patchStatus(this.fullStatus(inUse));
        if (s.code === 404) await this.reRegister("Node was deleted while the kubelet was stopped");
        else {
          expectCode("status", s, 200);
          this.volumesInUseWritten = inUse.join("\n");
        }
        const l = await this.patchLease();
        if (l.code === 404) await this.reRegister("Lease is gone");
        else expectCode("lease", l, 200);
      }
      if (epoch !== this.epoch) return;
      this.armHeartbeats();
      this.ctx.onLive(this.name);
    } catch (e) {
      this.ctx.onError(`${this.name}: restart`, e);
      if (epoch === this.epoch) this.later(() => void this.comeBack(), RETRY_MS);
    }
  }

  private register(): Promise<void> {
    this.registering ??= this.doRegister().finally(() => {
      this.registering = null;
    });
    return this.registering;
  }

  private async reRegister(reason: string) {
    if (this.stopped) return; // a stopped kubelet writes nothing; resume() re-registers
    this.ctx.log(`${this.name}: ${reason}; re-registering`);
    this.readySinceMs = Date.now();
    await this.register();
  }

  private async doRegister() {
    const { api } = this.ctx;
    const created = await api.request("POST", "/api/v1/nodes", nodeManifest(this.cfg), { pool: "register" });
    expectCode(`create node ${this.name}`, created, 201, 409);
    if (created.code === 201) this.readySinceMs = Date.now();
    const node = created.code === 201 ? created : await api.get(`/api/v1/nodes/${this.name}`, "register");
    expectCode(`get node ${this.name}`, node, 200, 201);
    const obj = JSON.parse(node.text) as KNode;
    this.uid = obj.metadata.uid;
    // A simulator restart over a node that is still Ready keeps its Ready transition time.
    const ready = obj.status?.conditions?.find((c) => c.type === "Ready");
    if (created.code === 409 && ready?.status === "True" && ready.lastTransitionTime) {
      this.readySinceMs = Date.parse(ready.lastTransitionTime);
    }
    const inUse = this.volumesInUse;
    const s = await this.patchStatus(this.fullStatus(inUse), "register");
    expectCode(`status ${this.name}`, s, 200);
    this.volumesInUseWritten = inUse.join("\n");
    await this.ensureLease();
    this.registered = true;
    this.ctx.counters.registrations++;
  }

  /** Creates the Lease, or takes over an existing one (new owner uid after the Node was recreated). */
  private async ensureLease() {
    const { api, heartbeat } = this.ctx;
    const lease = leaseManifest(this.name, this.uid, heartbeat.leaseDurationSeconds, Date.now());
    const r = await api.request("POST", leasesPath, lease, { pool: "register" });
    if (r.code === 409) {
      const p = await api.request(
        "PATCH",
        this.leasePath,
        { metadata: { ownerReferences: lease.metadata.ownerReferences }, spec: lease.spec },
        { contentType: MERGE_PATCH, pool: "register" },
      );
      expectCode(`patch lease ${this.name}`, p, 200);
      this.leaseRv = rvOf(p.text);
    } else this.leaseRv = rvOf(expectCode(`create lease ${this.name}`, r, 201).text);
  }

  /** Renews like a kubelet: a PUT of the whole Lease at the resourceVersion we last wrote, which
   *  costs the apiserver less than a merge patch (read, merge, re-encode). Without a known
   *  resourceVersion, or on a conflict, it falls back to a merge patch. 404 if the Lease is gone. */
  private async patchLease(): Promise<ApiResponse> {
    const lease = leaseManifest(this.name, this.uid, this.ctx.heartbeat.leaseDurationSeconds, Date.now());
    const { api } = this.ctx;
    let r: ApiResponse | undefined;
    if (this.leaseRv) {
      const body = { ...lease, metadata: { ...lease.metadata, resourceVersion: this.leaseRv } };
      r = await api.request("PUT", this.leasePath, body, { pool: "heartbeat" });
    }
    if (!r || r.code === 409) {
      r = await api.request("PATCH", this.leasePath, { spec: lease.spec }, { contentType: MERGE_PATCH, pool: "heartbeat" });
    }
    this.leaseRv = r.code === 200 ? rvOf(r.text) : undefined;
    return r;
  }

  /**
   * The attachable volumes of this node's pods (./volumes.ts), for node.status.volumesInUse. Written
   * at once while the kubelet runs; a stopped kubelet writes nothing — the stale list stays, as on a
   * dead node — and the full status it sends when it comes back carries the list of that moment.
   * Resolves once written (or skipped); a failed write is reported and retried with the next change.
   */
  setVolumesInUse(names: string[]): Promise<void> {
    this.volumesInUse = names;
    this.volumesInUseWrite = this.volumesInUseWrite.then(async () => {
      const wanted = this.volumesInUse;
      if (!this.live || wanted.join("\n") === this.volumesInUseWritten) return;
      try {
        const r = await this.patchStatus({ status: { volumesInUse: wanted } });
        expectCode("volumesInUse", r, 200);
        this.volumesInUseWritten = wanted.join("\n");
      } catch (e) {
        this.ctx.onError(`${this.name}: volumesInUse`, e);
      }
    });
    return this.volumesInUseWrite;
  }

  private fullStatus(volumesInUse: readonly string[]) {
    return fullStatusPatch(this.cfg, Date.now(), this.readySinceMs, this.bootId, this.ctx.kubeletVersion, volumesInUse);
  }

  private patchStatus(body: unknown, pool: Pool = "heartbeat") {
    return this.ctx.api.request("PATCH", `/api/v1/nodes/${this.name}/status`, body, { contentType: STRATEGIC_PATCH, pool });
  }

  private armHeartbeats() {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    const now = Date.now();
    const { renewIntervalSeconds, statusIntervalSeconds } = this.ctx.heartbeat;
    this.renewSlot = nextSlot(this.renewOrigin, renewIntervalSeconds * 1000, now);
    this.statusSlot = nextSlot(this.statusOrigin, statusIntervalSeconds * 1000, now);
    this.at(this.renewSlot, () => this.renew(this.epoch));
    this.at(this.statusSlot, () => this.heartbeatStatus(this.epoch));
  }

  private async renew(epoch: number) {
    const scheduled = this.renewSlot;
    try {
      const r = await this.patchLease();
      if (r.code === 404) await this.reRegister("Lease or Node was deleted");
      else expectCode("renew lease", r, 200);
      const done = Date.now();
      this.ctx.counters.leaseRenewals++;
      this.ctx.counters.leaseLag.add(done, done - scheduled);
    } catch (e) {
      this.ctx.onError(`${this.name}: renew lease`, e);
    }
    if (epoch !== this.epoch) return;
    this.renewSlot = nextSlot(scheduled, this.ctx.heartbeat.renewIntervalSeconds * 1000, Date.now());
    this.at(this.renewSlot, () => this.renew(epoch));
  }

  private async heartbeatStatus(epoch: number) {
    const scheduled = this.statusSlot;
    try {
      const r = await this.patchStatus(heartbeatStatusPatch(Date.now(), this.readySinceMs));
      if (r.code === 404) await this.reRegister("Node was deleted");
      else expectCode("status", r, 200);
      this.ctx.counters.statusPatches++;
    } catch (e) {
      this.ctx.onError(`${this.name}: status`, e);
    }
    if (epoch !== this.epoch) return;
    this.statusSlot = nextSlot(scheduled, this.ctx.heartbeat.statusIntervalSeconds * 1000, Date.now());
    this.at(this.statusSlot, () => this.heartbeatStatus(epoch));
  }

  private at(whenMs: number, fn: () => Promise<void>) {
    this.later(() => void fn(), whenMs - Date.now());
  }

  private later(fn: () => void, delayMs: number) {
    const t = setTimeout(
      () => {
        this.timers = this.timers.filter((x) => x !== t);
        fn();
      },
      Math.max(0, delayMs),
    );
    this.timers.push(t);
  }
}
