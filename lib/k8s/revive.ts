// The watch stream and our raw lists carry plain JSON; @kubernetes/client-node's typed models
// (V1Node, V1Pod…) carry Dates. Reviving the timestamp fields by key makes raw objects match the
// types, at one cheap walk per object, and keeps the large typed deserializer off the hot path.
const TIMESTAMP_KEYS = new Set([
  "creationTimestamp",
  "deletionTimestamp",
  "lastTransitionTime",
  "lastHeartbeatTime",
  "lastProbeTime",
  "lastUpdateTime",
  "timeAdded",
  "renewTime",
  "acquireTime",
  "startTime",
  "startedAt",
  "finishedAt",
  "firstTimestamp",
  "lastTimestamp",
  "eventTime",
]);

export function reviveTimestamps<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) reviveTimestamps(item);
  } else if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      if (typeof v === "string" && TIMESTAMP_KEYS.has(key)) obj[key] = new Date(v);
      else if (v !== null && typeof v === "object") reviveTimestamps(v);
    }
  }
  return value;
}

/** managedFields can be half an object's size and nothing here reads them. */
export function slim<T extends { metadata?: { managedFields?: unknown } }>(obj: T): T {
  if (obj.metadata) delete obj.metadata.managedFields;
  return reviveTimestamps(obj);
}
