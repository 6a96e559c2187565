// Audit rows as CSV (RFC 4180): CRLF line ends, fields quoted when they contain a comma, a quote
// or a line break, quotes doubled. Cells a spreadsheet would run as a formula (starting with
// = + - @, tab or carriage return) get a leading single quote: the file is opened by people
// with Excel, and actor names, reasons and Kubernetes messages are not ours to trust.
import type { TStoredAuditEvent } from "./list";

type TCsvRow = Omit<TStoredAuditEvent, "pending"> & { pending?: boolean };
type TCell = string | number | boolean | Date | null | undefined;

/** The columns, in order: the header row and what each cell holds. */
export const AUDIT_CSV_COLUMNS: readonly { header: string; cell: (row: TCsvRow) => TCell }[] = [
  { header: "id", cell: (r) => r.id },
  { header: "at", cell: (r) => r.at },
  { header: "actionId", cell: (r) => r.actionId },
  { header: "phase", cell: (r) => r.phase },
  { header: "outcome", cell: (r) => r.outcome ?? (r.pending ? "pending" : null) },
  { header: "cluster", cell: (r) => r.cluster },
  { header: "action", cell: (r) => r.action },
  { header: "targetKind", cell: (r) => r.targetKind },
  { header: "target", cell: (r) => r.target },
  { header: "actorKind", cell: (r) => r.actorKind },
  { header: "actorId", cell: (r) => r.actorId },
  { header: "actorName", cell: (r) => r.actorName },
  { header: "actorRole", cell: (r) => r.actorRole },
  { header: "sourceIp", cell: (r) => r.sourceIp },
  { header: "userAgent", cell: (r) => r.userAgent },
  { header: "reason", cell: (r) => r.reason },
  { header: "gateOverride", cell: (r) => r.gateOverride },
  { header: "message", cell: (r) => r.message },
  { header: "plan", cell: (r) => r.plan },
  { header: "results", cell: (r) => r.results },
  { header: "k8sStatus", cell: (r) => r.k8sStatus },
];

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: ISO for dates, empty for null, formula-neutralised, quoted when needed. */
export const csvField = (value: TCell): string => {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const line = (cells: readonly TCell[]) => `${cells.map(csvField).join(",")}\r\n`;

/** The header record, CRLF-terminated. */
export const auditCsvHeader = (): string => line(AUDIT_CSV_COLUMNS.map((c) => c.header));

/**
 * Rows as CSV records, every record (the header too) ending in CRLF, so chunks concatenate.
 * `header: false` for the chunks after the first one of a streamed export.
 */
export const auditEventsToCsv = (rows: readonly TCsvRow[], options: { header?: boolean } = {}): string => {
  const body = rows.map((row) => line(AUDIT_CSV_COLUMNS.map((c) => c.cell(row)))).join("");
  return (options.header ?? true) ? auditCsvHeader() + body : body;
};
