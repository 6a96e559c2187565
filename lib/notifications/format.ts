// One notification, one endpoint: the request to send (null: nothing to send in that format).
import { formatCloudEvent } from "./format-cloudevents";
import { formatPagerDuty } from "./format-pagerduty";
import { formatSlack } from "./format-slack";
import type { TEndpointTarget, TNotification, TOutgoing } from "./types";

export function formatNotification(n: TNotification, target: TEndpointTarget, now: Date): TOutgoing | null {
  switch (target.format) {
    case "cloudevents":
      return formatCloudEvent(n, target, now);
    case "slack":
      return formatSlack(n, target);
    case "pagerduty":
      return formatPagerDuty(n, target);
  }
}

/** Which events a format can say something about (PagerDuty only pages and resolves). */
export const formatSupports = (format: TEndpointTarget["format"], type: string) =>
  format !== "pagerduty" || type === "incident.opened" || type === "node.dead" || type === "incident.closed";
