import { Suspense } from "react";
import { AuditHistory } from "@/components/audit/audit-history";
import { requirePageActor } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function AuditPage() {
  // The layout redirects too, but a page renders in parallel with it: each page checks itself.
  await requirePageActor();
  return (
    <Suspense fallback={<p className="text-sm text-zinc-500">Loading…</p>}>
      <AuditHistory />
    </Suspense>
  );
}
