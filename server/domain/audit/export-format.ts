import { plainText } from "../../text/plain-text";
import type { AuditItem } from "./audit-queries";

export const CSV_COLUMNS = ["id", "at", "actor", "sourceIp", "hostId", "action", "target", "params", "result", "hash"] as const;

/** One CSV cell: quoted, control characters escaped, and spreadsheet formulas neutralised. */
function cell(value: unknown): string {
  let text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  text = plainText(text);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(",") + "\r\n";
}

export function csvRow(item: AuditItem): string {
  return CSV_COLUMNS.map((c) => cell(item[c])).join(",") + "\r\n";
}

/** JSON escapes every control character already; one entry per line. */
export function jsonLine(item: AuditItem): string {
  return JSON.stringify(item) + "\n";
}
