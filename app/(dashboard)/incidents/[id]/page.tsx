import { notFound } from "next/navigation";
import { IncidentDetail } from "@/components/incidents/incident-detail";
import { requirePageActor } from "@/lib/auth/guard";
import { ZIncidentId } from "@/lib/incidents/params";

export const dynamic = "force-dynamic";

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageActor();
  const id = ZIncidentId.safeParse((await params).id);
  if (!id.success) notFound();
  return <IncidentDetail id={id.data} />;
}
