"use client";

import { useAnonymousRefusals } from "./queries";

/** One line above the audit table: how many requests without credentials were refused lately. */
export function AnonymousRefusals() {
  const { data } = useAnonymousRefusals();
  if (!data) return null;
  if (data.total === 0) {
    return (
      <p className="text-sm text-zinc-500" data-testid="anonymous-refusals" data-total="0">
        No requests without credentials were refused in the last 24 hours.
      </p>
    );
  }
  const top = data.sources[0];
  return (
    <p className="text-sm text-amber-800 dark:text-amber-300" data-testid="anonymous-refusals" data-total={data.total}>
      {data.total} request{data.total === 1 ? "" : "s"} without credentials refused in the last 24 hours, from {data.sourceCount} address
      {data.sourceCount === 1 ? "" : "es"}
      {top ? ` (latest: ${top.sourceIp}, ${top.count}×, ${top.actions.join(", ")})` : ""}. They are counted per address and minute, not
      logged one by one.
    </p>
  );
}
