// Live progress of the action running on each node (in this process), for the UI to poll while
// a drain evicts pod after pod.
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
export const setProgress = (node: string, p: TProgress) => progress().set(node, p);
