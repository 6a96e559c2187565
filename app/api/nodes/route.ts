import { apiRoute, liveJson } from "@/lib/api/route";
import { requireSnapshot } from "@/lib/monitor/instance";
import { viewNodes } from "@/lib/views/nodes";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "cluster.read" }, () => liveJson(viewNodes(requireSnapshot())));
