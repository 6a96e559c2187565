// Response shapes of the JSON routes the browser reads (dates arrive as ISO strings).
import type { TNodeState } from "@/lib/health";

export type TTransitionRow = {
  id: number;
  cluster: string;
  node: string;
  nodeUid: string | null;
  seq: number;
  fromState: TNodeState | null;
  toState: TNodeState;
  reason: string;
  observedAt: string;
  apiTransitionTime: string | null;
};
export type TTransitionsView = { items: TTransitionRow[]; nextCursor: string | null };

export type THealthView = {
  ok: boolean;
  cluster: {
    connected: boolean;
    status: "connected" | "connecting" | "reconnecting" | "unconfigured";
    since?: string;
    error?: string;
    serverVersion?: string;
    name?: string;
  };
};
