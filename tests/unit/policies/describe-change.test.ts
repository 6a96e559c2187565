import { describe, expect, it } from "vitest";
import { describePolicyChange } from "@/lib/policies/describe-change";
import { type TPolicyInput, ZPolicy } from "@/lib/policies/schema";
import { describeCriteria, describeLadder, describeSelector, describeWindows, formatSeconds } from "@/lib/policies/summarize";

const policy = (input: Partial<TPolicyInput> = {}) => ZPolicy.parse({ name: "workers", ...input });

describe("describePolicyChange", () => {
  it("a creation says what the policy does", () => {
    expect(describePolicyChange(null, policy())).toBe(
      'created policy "workers": propose, disabled; selects every node; criteria Ready False/Unknown ≥ 10m or Heartbeat Stale ≥ 10m or DiskPressure True ≥ 30m; ladder cordon 60s → force-delete 120s → out-of-service 300s',
    );
    expect(
      describePolicyChange(
        null,
        policy({ mode: "act", enabled: true, includeControlPlane: true, selector: { matchLabels: { pool: "gpu" } } }),
      ),
    ).toMatch(/^created policy "workers": act, enabled; selects pool=gpu \(control plane included\); criteria /);
  });

  it("a deletion names what is gone", () => {
    expect(describePolicyChange(policy({ mode: "act" }), null)).toMatch(/^deleted policy "workers": act, disabled; selects every node;/);
  });

  it("the same document is no change", () => {
    expect(describePolicyChange(policy(), policy())).toBe('updated policy "workers": no change');
    // Sets in another order are the same document.
    const a = policy({ criteria: [{ type: "Ready", status: ["Unknown", "False"], forSeconds: 60 }] });
    const b = policy({ criteria: [{ type: "Ready", status: ["False", "Unknown"], forSeconds: 60 }] });
    expect(describePolicyChange(a, b)).toBe('updated policy "workers": no change');
  });

  it("mode and ladder, as the issue words it", () => {
    const before = policy({
      ladder: [
        { action: "node.cordon", timeoutSeconds: 60 },
        { action: "pods.force-delete", timeoutSeconds: 120 },
      ],
    });
    const after = policy({
      mode: "act",
      ladder: [
        { action: "node.cordon", timeoutSeconds: 60 },
        { action: "node.delete", timeoutSeconds: 300 },
      ],
    });
    expect(describePolicyChange(before, after)).toBe(
      'updated policy "workers": mode: "propose" → "act"; ladder: cordon 60s → force-delete 120s ⇒ cordon 60s → delete 300s',
    );
  });

  it("names a renamed policy by its new name and shows the old one", () => {
    expect(describePolicyChange(policy(), policy({ name: "workers-eu" }))).toBe(
      'updated policy "workers-eu": name: "workers" → "workers-eu"',
    );
  });

  it("lists every changed field, in document order", () => {
    const after = policy({
      name: "w2",
      description: "x".repeat(100),
      mode: "act",
      enabled: true,
      selector: { matchExpressions: [{ key: "zone", operator: "In", values: ["a", "b"] }] },
      includeControlPlane: true,
      criteria: [{ type: "KernelDeadlock", status: ["True"], forSeconds: 0 }],
      ladder: [{ action: "node.drain", timeoutSeconds: 3600 }],
      minHealthyPercent: 80,
      maxRepairsPerHour: 10,
      maxConcurrent: 2,
      maintenanceWindows: [{ days: ["Sat", "Sun"], start: "22:00", end: "04:00", timeZone: "Europe/Berlin" }],
      quarantineSeconds: 1800,
      flapping: { incidents: 5, withinSeconds: 3600 },
    });
    const parts = describePolicyChange(policy(), after)
      .replace(/^updated policy "w2": /, "")
      .split("; ");
    expect(parts).toEqual([
      'name: "workers" → "w2"',
      `description: "" → "${"x".repeat(79)}…"`,
      'mode: "propose" → "act"',
      "enabled: false → true",
      "selector: every node ⇒ zone in (a,b)",
      "includeControlPlane: false → true",
      "criteria: Ready False/Unknown ≥ 10m or Heartbeat Stale ≥ 10m or DiskPressure True ≥ 30m ⇒ KernelDeadlock True ≥ 0s",
      "ladder: cordon 60s → force-delete 120s → out-of-service 300s ⇒ drain 1h",
      "minHealthyPercent: 51% → 80%",
      "maxRepairsPerHour: 3 → 10",
      "maxConcurrent: 1 → 2",
      "maintenanceWindows: always ⇒ Sat,Sun 22:00–04:00 Europe/Berlin",
      "quarantineSeconds: 10m → 30m",
      "flapping: 3 incidents in 24h ⇒ 5 incidents in 1h",
    ]);
  });

  it("a change inside a list shows the whole line before and after", () => {
    const before = policy({ maintenanceWindows: [{ start: "08:00", end: "18:00", timeZone: "UTC" }] });
    const after = policy({ maintenanceWindows: [{ start: "08:00", end: "17:00", timeZone: "UTC" }] });
    expect(describePolicyChange(before, after)).toBe(
      'updated policy "workers": maintenanceWindows: daily 08:00–18:00 UTC ⇒ daily 08:00–17:00 UTC',
    );
  });
});

describe("one-line summaries", () => {
  it("formatSeconds: seconds below ten minutes, then whole minutes or hours", () => {
    expect([0, 60, 120, 300, 599, 600, 601, 1800, 3600, 5400, 86400].map(formatSeconds)).toEqual([
      "0s",
      "60s",
      "120s",
      "300s",
      "599s",
      "10m",
      "601s",
      "30m",
      "1h",
      "90m",
      "24h",
    ]);
  });

  it("selectors in kubectl's syntax", () => {
    expect(
      describeSelector({
        matchLabels: { "node-role.kubernetes.io/worker": "", zone: "a" },
        matchExpressions: [
          { key: "gpu", operator: "NotIn", values: ["a100", "h100"] },
          { key: "spot", operator: "Exists", values: [] },
          { key: "legacy", operator: "DoesNotExist", values: [] },
        ],
      }),
    ).toBe("node-role.kubernetes.io/worker=,zone=a,gpu notin (a100,h100),spot,!legacy");
  });

  it("criteria, ladder and windows", () => {
    const p = policy({
      maintenanceWindows: [
        { days: ["Mon", "Tue"], start: "08:00", end: "18:00", timeZone: "Europe/Berlin" },
        { start: "00:00", end: "24:00", timeZone: "UTC" },
      ],
    });
    expect(describeCriteria(p.criteria)).toBe("Ready False/Unknown ≥ 10m or Heartbeat Stale ≥ 10m or DiskPressure True ≥ 30m");
    expect(describeLadder(p.ladder)).toBe("cordon 60s → force-delete 120s → out-of-service 300s");
    expect(describeWindows(p.maintenanceWindows)).toBe("Mon,Tue 08:00–18:00 Europe/Berlin and daily 00:00–24:00 UTC");
    expect(describeWindows([])).toBe("always");
  });
});
