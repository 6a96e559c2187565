// The server's view of the cluster: one list+watch per watched kind, plus a connection probe.
// Pages and API routes read from here; nothing calls the cluster per request.
import type { KubeConfig } from "@kubernetes/client-node";
import { getJson, startListWatch, type TListWatch, type TWatchState } from "./list-watch";
import { projectNode, projectPod } from "./project";
import {
  discoverPolicyVersions,
  pdbPath,
  type TPolicyVersions,
  type TWatchedKind,
  type TWatchedKinds,
  type TWatchSpec,
  WATCH_PATHS,
} from "./resources";

export type TConnection =
  | { status: "connecting"; since: Date }
  | { status: "connected"; since: Date; serverVersion: string }
  | { status: "reconnecting"; since: Date; error: string };

export type TClusterCache = {
  /**
   * The kind's objects; the same array until the kind changes, a new one after (the health
   * evaluator tells what changed by that identity). Callers must not modify it.
   */
  list: <K extends TWatchedKind>(kind: K) => readonly TWatchedKinds[K][];
  connection: () => TConnection;
  /** Discovered once the server answers; null before. */
  policyVersions: () => TPolicyVersions | null;
  /** When the connection came back after an outage (not the first connect): the flap history. */
  reconnects: () => readonly Date[];
  stop: () => void;
};

const PROBE_EVERY_MS = 2_000;
const PROBE_TIMEOUT_MS = 3_000;

/** Objects trimmed to what node-rescue reads, by kind (lib/k8s/project.ts). */
const PROJECTIONS: Partial<Record<TWatchedKind, (obj: never) => unknown>> = { pods: projectPod, nodes: projectNode };

export function startClusterCache(opts: {
  kc: KubeConfig;
  /** `kind` is the watched kind whose store changed; undefined for connection changes. */
  onChange: (kind?: TWatchedKind) => void;
  onConnection?: (c: TConnection) => void;
}): TClusterCache {
  const watchers = new Map<TWatchedKind, TListWatch<TWatchedKinds[TWatchedKind]>>();
  // The monitor reads every kind ~10 times a second; 30,000 pods need not be copied each time.
  const lists = new Map<TWatchedKind, readonly TWatchedKinds[TWatchedKind][]>();
  let connection: TConnection = { status: "connecting", since: new Date() };
  let probeError: string | null = null;
  let serverVersion = "";
  let policyVersions: TPolicyVersions | null = null;
  let stopped = false;
  let everConnected = false;
  const reconnects: Date[] = [];

  const watch = (kind: TWatchedKind, spec: string | TWatchSpec) => {
    const { path, fieldSelector } = typeof spec === "string" ? { path: spec, fieldSelector: undefined } : spec;
    const project = PROJECTIONS[kind] as ((obj: TWatchedKinds[TWatchedKind]) => TWatchedKinds[TWatchedKind]) | undefined;
    watchers.set(
      kind,
      startListWatch({
        kc: opts.kc,
        path,
        fieldSelector,
        project,
        onChange: () => {
          lists.delete(kind);
          opts.onChange(kind);
        },
        onState: () => updateConnection(),
      }),
    );
  };

  /** Connected only when the probe answers and every watch is synced; the outage start is kept. */
  function updateConnection() {
    const states: TWatchState[] = [...watchers.values()].map((w) => w.state());
    const retrying = states.find((s): s is Extract<TWatchState, { phase: "retrying" }> => s.phase === "retrying");
    const error = probeError ?? (retrying ? retrying.error : null);
    const allSynced = watchers.size > 0 && states.every((s) => s.phase === "synced") && policyVersions !== null;
    let next: TConnection;
    if (error) next = { status: "reconnecting", since: connection.status === "reconnecting" ? connection.since : new Date(), error };
    else if (allSynced && serverVersion)
      next = { status: "connected", since: connection.status === "connected" ? connection.since : new Date(), serverVersion };
    else next = connection.status === "connecting" ? connection : { status: "connecting", since: new Date() };
    const changed =
      next.status !== connection.status ||
      (next.status === "reconnecting" && connection.status === "reconnecting" && next.error !== connection.error);
    if (changed && next.status === "connected") {
      if (everConnected) reconnects.push(next.since);
      everConnected = true;
      if (reconnects.length > 100) reconnects.shift();
    }
    connection = next;
    if (changed) {
      opts.onConnection?.(connection);
      opts.onChange();
    }
  }

  async function probe() {
    try {
      const v = await getJson<{ gitVersion: string }>(opts.kc, "/version", PROBE_TIMEOUT_MS);
      serverVersion = v.gitVersion;
      if (probeError !== null) for (const w of watchers.values()) w.retryNow();
      probeError = null;
      if (policyVersions === null) {
        policyVersions = await discoverPolicyVersions(opts.kc);
        watch("pdbs", pdbPath(policyVersions.pdb));
      }
    } catch (err) {
      probeError = `cannot reach the API server: ${err instanceof Error ? err.message : String(err)}`;
    }
    updateConnection();
    if (!stopped) probeTimer = setTimeout(() => void probe(), PROBE_EVERY_MS);
  }

  for (const [kind, path] of Object.entries(WATCH_PATHS)) watch(kind as TWatchedKind, path);
  let probeTimer: NodeJS.Timeout | undefined;
  void probe();

  return {
    list: <K extends TWatchedKind>(kind: K) => {
      let list = lists.get(kind);
      if (!list) {
        list = [...(watchers.get(kind)?.store.values() ?? [])];
        if (watchers.has(kind)) lists.set(kind, list);
      }
      return list as readonly TWatchedKinds[K][];
    },
    connection: () => connection,
    policyVersions: () => policyVersions,
    reconnects: () => reconnects,
    stop: () => {
      stopped = true;
      clearTimeout(probeTimer);
      for (const w of watchers.values()) w.stop();
    },
  };
}
