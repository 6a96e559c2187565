// Evidence that a node is really dead, not cut off from us: its Ready condition and for how
// long, its Lease, its taints, whether this server can open a TCP connection to the kubelet port
// (10250) of its InternalIP, and its recent Events.
import { Socket } from "node:net";
import type { TNodeHealth } from "@/lib/health";
import type { TMonitor } from "@/lib/monitor/monitor";

export type TTcpProbe = { address: string | null; port: number; reachable: boolean; ms: number | null; error: string | null };

const KUBELET_PORT = 10250;

export function probeTcp(address: string | null, port = KUBELET_PORT, timeoutMs = 2_000): Promise<TTcpProbe> {
  if (!address) return Promise.resolve({ address, port, reachable: false, ms: null, error: "the node reports no InternalIP" });
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (reachable: boolean, error: string | null) => {
      socket.destroy();
      resolve({ address, port, reachable, ms: Math.round(performance.now() - started), error });
    };
    socket.setTimeout(timeoutMs, () => done(false, `no answer within ${timeoutMs} ms`));
    socket.once("connect", () => done(true, null));
    socket.once("error", (err: NodeJS.ErrnoException) => done(false, err.code ?? err.message));
    socket.connect(port, address);
  });
}

export async function gatherEvidence(monitor: TMonitor, node: TNodeHealth) {
  const events = monitor.cache
    .list("nodeEvents")
    .filter((e) => e.involvedObject?.name === node.name)
    .map((e) => ({
      type: e.type ?? null,
      reason: e.reason ?? null,
      message: e.message ?? null,
      count: e.count ?? 1,
      source: e.source?.component ?? e.reportingComponent ?? null,
      lastSeen: new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0).toISOString(),
    }))
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
    .slice(0, 20);
  const tcp = await probeTcp(node.internalIP);
  const ready = node.health === "Ready";
  const verdict =
    node.state === "Ready"
      ? "healthy"
      : !ready && !tcp.reachable
        ? "likely-dead"
        : !ready && tcp.reachable
          ? "partitioned-or-kubelet-only"
          : "suspicious";
  return {
    node: node.name,
    verdict,
    ready: {
      health: node.health,
      state: node.state,
      since: ready ? node.readySince : node.notReadySince,
      reason: node.readyReason,
      message: node.readyMessage,
    },
    lease: node.heartbeat,
    taints: node.taints,
    tcp,
    events,
  };
}
export type TEvidence = Awaited<ReturnType<typeof gatherEvidence>>;
