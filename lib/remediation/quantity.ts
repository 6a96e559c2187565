// PURE: Kubernetes resource quantities ("500m", "2", "64Gi", "1e3") as plain numbers.
const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** CPU in cores, memory in bytes; null for what it cannot read. */
export function parseQuantity(q: string | number | undefined | null): number | null {
  if (q === undefined || q === null) return null;
  if (typeof q === "number") return q;
  const m = q.trim().match(/^([+-]?\d*\.?\d+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/);
  if (!m) return null;
  // Own properties only: "1constructor" must not find Object.prototype.constructor.
  const suffix = m[2] ?? "";
  const factor = Object.hasOwn(SUFFIX, suffix) ? SUFFIX[suffix] : undefined;
  return factor === undefined ? null : Number(m[1]) * factor;
}
