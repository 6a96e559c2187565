"use client";

import { useSearchParams } from "next/navigation";
import { Card } from "@/components/ui/card";
import { AnonymousRefusals } from "./anonymous-refusals";
import { AuditTable } from "./audit-table";
import { AuditFilterBar, auditFilterQuery } from "./filter-bar";

/** The audit page: filters from the URL, the matching events, and a CSV of all of them. */
export function AuditHistory() {
  const filters = auditFilterQuery(new URLSearchParams(useSearchParams().toString()));
  return (
    <div className="space-y-4">
      <AuditFilterBar filters={filters} />
      <AnonymousRefusals />
      <Card
        title="Audit history (newest first)"
        actions={
          <a
            className="text-sm text-sky-700 hover:underline dark:text-sky-400"
            href={`/api/audit/export${filters ? `?${filters}` : ""}`}
            data-testid="audit-export"
            download
          >
            Export CSV
          </a>
        }
      >
        {/* A new filter starts again at the newest page. */}
        <AuditTable key={filters} filters={filters} />
      </Card>
    </div>
  );
}
