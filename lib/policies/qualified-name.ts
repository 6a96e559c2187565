// PURE: Kubernetes' syntax for label keys and values, which condition types follow too
// (k8s.io/apimachinery validation.IsQualifiedName, IsValidLabelValue).

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** "name" or "prefix/name": name 1–63 characters, prefix a DNS subdomain of at most 253. */
export function isQualifiedName(value: string): boolean {
  const parts = value.split("/");
  if (parts.length > 2) return false;
  const name = parts.at(-1) ?? "";
  const prefix = parts.length === 2 ? (parts[0] ?? "") : null;
  if (prefix !== null && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && NAME.test(name);
}

/** Empty, or 1–63 characters of the name syntax. */
export const isLabelValue = (value: string) => value === "" || (value.length <= 63 && NAME.test(value));
