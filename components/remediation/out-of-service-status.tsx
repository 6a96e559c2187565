"use client";

import { Since } from "@/components/ui/durations";
import type { TOutOfServiceStatus } from "@/lib/remediation/out-of-service-status";

const box = "rounded-lg border px-4 py-3 text-sm";
const tones = {
  waiting: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200",
  proposed: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-500/40 dark:bg-sky-500/10 dark:text-sky-200",
};

/**
 * A node out of service: since when and by whom, then either what still keeps the taint on (the
 * node not Ready, pods, VolumeAttachments) or the proposal to remove it. The server's removal gate
 * applies the same rule; this only shows it.
 */
export function OutOfServiceStatus({ node, status }: { node: string; status: TOutOfServiceStatus }) {
  const { release, tracked } = status;
  const proposed = release.releasable;
  return (
    <div
      className={`${box} ${proposed ? tones.proposed : tones.waiting}`}
      data-testid="out-of-service-status"
      data-releasable={proposed ? "true" : "false"}
    >
      <p>
        <b>Out of service</b>
        {status.since ? (
          <>
            {" "}
            for <Since at={status.since} />
          </>
        ) : null}
        :{" "}
        {tracked ? (
          <>
            tainted by {tracked.appliedBy} through node-rescue at {new Date(tracked.appliedAt).toLocaleString()}
          </>
        ) : (
          "tainted outside node-rescue"
        )}
        . Kubernetes keeps the node out of service until the taint is removed.
      </p>
      {proposed ? (
        <p className="mt-1 font-medium" data-testid="out-of-service-offer">
          {node} is Ready again with no pods and no VolumeAttachments left on it: remove the out-of-service taint (Remediate → Remove
          out-of-service taint).
        </p>
      ) : (
        <div className="mt-1" data-testid="out-of-service-blockers">
          Its removal will be proposed once nothing below is left:
          <ul className="mt-1 list-disc pl-5">
            {status.blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
