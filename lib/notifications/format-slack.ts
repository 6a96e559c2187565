// Slack incoming webhooks: Block Kit blocks (a header, the sentence, details, a button to the
// incident) and a plain `text` fallback for notifications and old clients. Pure.
import { details, summarize } from "./summary";
import type { TNotification, TOutgoing } from "./types";

/** Slack's mrkdwn needs &, < and > escaped (everything else is literal). */
export const escapeSlack = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

const EMOJI: Record<TNotification["type"], string> = {
  "incident.opened": ":rotating_light:",
  "node.dead": ":skull:",
  "repair.proposed": ":raising_hand:",
  "action.taken": ":hammer_and_wrench:",
  "workload.recovered": ":white_check_mark:",
  "incident.closed": ":large_green_circle:",
  test: ":wave:",
};

export function toSlackMessage(n: TNotification) {
  const sentence = summarize(n);
  const text = `${escapeSlack(sentence)}${n.link ? ` <${n.link}|open incident>` : ""}`;
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: `${EMOJI[n.type]} ${headerOf(n)}`.slice(0, 150), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: escapeSlack(sentence) } },
  ];
  const more = details(n);
  if (more.length) blocks.push({ type: "context", elements: more.map((l) => ({ type: "mrkdwn", text: escapeSlack(l) })) });
  if (n.link) {
    blocks.push({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Open incident" }, url: n.link, action_id: "open-incident" }],
    });
  }
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: escapeSlack(`node-rescue · ${n.cluster} · ${n.at.toISOString()}`) }],
  });
  return { text, blocks };
}

function headerOf(n: TNotification): string {
  switch (n.type) {
    case "incident.opened":
      return `Incident #${n.incidentId} opened`;
    case "node.dead":
      return `Incident #${n.incidentId}: node confirmed dead`;
    case "repair.proposed":
      return `Incident #${n.incidentId}: repair proposed, waiting for approval`;
    case "action.taken":
      return `Incident #${n.incidentId}: action taken`;
    case "workload.recovered":
      return `Incident #${n.incidentId}: workloads recovered`;
    case "incident.closed":
      return `Incident #${n.incidentId} closed`;
    case "test":
      return "node-rescue test notification";
  }
}

export function formatSlack(n: TNotification, target: { url: string }): TOutgoing {
  return { url: target.url, headers: { "Content-Type": "application/json" }, body: JSON.stringify(toSlackMessage(n)) };
}
