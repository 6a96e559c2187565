// Live progress of the action running on each node (in this process): every update is announced
// on the event stream (a `progress` event naming the node), and the UI refetches /progress on it
// while a drain evicts pod after pod.
import { notifyProgress } from "@/lib/live/notices";
import { remember } from "@/lib/remember";
import type { TAction } from "./catalog";
import type { TPodResult } from "./execute";

export type TProgress = {
  actionId: string;
  action: TAction;
  actor: string;
  startedAt: string;
  results: TPodResult[];
  done: boolean;
  message: string | null;
};

const progress = () => remember("remediation-progress", () => new Map<string, TProgress>());

export const getProgress = (node: string) => progress().get(node) ?? null;
export function setProgress(node: string, p: TProgress) {
  progress().set(node, p);
  notifyProgress(node);
}
