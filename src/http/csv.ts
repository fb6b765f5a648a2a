/**
 * RFC 4180 CSV: CRLF line ends, a field quoted when it holds a comma, a double quote, CR or LF, quotes inside doubled.
 * Values are written exactly as given (decimal amounts stay the service's exact text).
 */
import type { LedgerEntryView } from "../durable-objects/fund-rpc";

export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(fields: readonly (string | number | null)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

/** Column order of the ledger export; the header row names them as the JSON fields are named. */
export const LEDGER_CSV_COLUMNS = [
  "sequence",
  "entryId",
  "createdAt",
  "kind",
  "amount",
  "balanceAfter",
  "liquidationId",
  "reference",
  "idempotencyKey",
  "requestDigest",
] as const satisfies readonly (keyof LedgerEntryView)[];

export const LEDGER_CSV_HEADER = csvLine(LEDGER_CSV_COLUMNS);

export function ledgerCsvRow(e: LedgerEntryView): string {
  return csvLine(LEDGER_CSV_COLUMNS.map((k) => e[k]));
}

/**
 * Whether the client asked for CSV: `text/csv` listed with q > 0, and not ranked below an explicitly listed
 * `application/json`. Anything else (no Accept, `*\/*`, JSON) gets JSON.
 */
export function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  let csv = 0;
  let json = -1;
  for (const part of accept.split(",")) {
    const [type = "", ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type.trim() === "text/csv") csv = Math.max(csv, q);
    if (type.trim() === "application/json") json = Math.max(json, q);
  }
  return csv > 0 && csv >= json;
}
