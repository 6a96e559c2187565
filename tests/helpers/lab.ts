// A private lab per test file: its own state directory and free ports, torn down afterwards.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { labDown, labUp, type TLabUpOptions } from "@/scripts/lab/lab";

export async function startTestLab(opts: Omit<TLabUpOptions, "dir"> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "node-rescue-lab-"));
  const lab = await labUp({ ...opts, dir, log: (l) => console.log(l) });
  return { ...lab, down: () => labDown({ dir }) };
}
