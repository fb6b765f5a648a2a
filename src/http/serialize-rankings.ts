/**
 * JSON for the rankings response, written straight from the domain's columns: for 100k positions this avoids
 * 100k short-lived objects and a generic JSON.stringify walk. Output equals JSON.stringify of the same objects
 * (tested); decimal strings never need escaping, accountIds are escaped only when they contain '"' or '\\'.
 */
import type { RankedColumns } from "../domain/ranking/rank";

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;
const str = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);
const optStr = (s: string | null) => (s === null ? "null" : `"${s}"`);

function side(c: RankedColumns): string {
  const parts = new Array<string>(c.n);
  for (let r = 0; r < c.n; r++) {
    parts[r] =
      `{"accountId":${str(c.accountId[r]!)},"size":"${c.size[r]}","score":${optStr(c.score[r]!)},"rank":${r + 1},"indicator":${c.indicator[r]},` +
      `"pnlRatio":"${c.pnlRatio[r]}","effectiveLeverage":${optStr(c.effectiveLeverage[r]!)},"bankruptcyPrice":${optStr(c.bankruptcyPrice[r]!)}}`;
  }
  return `[${parts.join(",")}]`;
}

export function rankingsJson(cols: { long: RankedColumns; short: RankedColumns }): string {
  return `{"long":${side(cols.long)},"short":${side(cols.short)}}`;
}
