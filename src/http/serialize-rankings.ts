/**
 * JSON for the rankings response, written straight from the domain's columns into bytes: for 100k positions this
 * avoids 100k objects, ~800k field strings, a generic JSON.stringify walk and a UTF-8 re-encode. The output is
 * byte-identical to JSON.stringify of rankPositions() (tested in test/node/serialize-rankings.test.ts).
 */
import type { DecimalColumn, RankedColumns } from "../domain/ranking/rank";
import { ByteWriter, constant } from "./byte-writer";

const FIRST = constant('{"accountId":');
const NEXT = constant(',{"accountId":');
const SIZE = constant(',"size":"');
const SCORE = constant('","score":');
const RANK = constant(',"rank":');
const INDICATOR = constant(',"indicator":');
const PNL_RATIO = constant(',"pnlRatio":');
const LEVERAGE = constant(',"effectiveLeverage":');
const BANKRUPTCY_PRICE = constant(',"bankruptcyPrice":');
const NULL = constant("null");

function decimal(w: ByteWriter, col: DecimalColumn, r: number): void {
  const k = col.scaled[r]!;
  if (k === k) {
    w.ascii('"');
    w.scaled(k, col.dp);
    w.ascii('"');
    return;
  }
  const text = col.text.get(r);
  if (text === null || text === undefined) w.raw(NULL);
  else {
    w.ascii('"');
    w.ascii(text);
    w.ascii('"');
  }
}

function side(w: ByteWriter, c: RankedColumns): void {
  w.ascii("[");
  for (let r = 0; r < c.n; r++) {
    const p = c.positions[r]!;
    w.raw(r === 0 ? FIRST : NEXT);
    w.jsonString(p.accountId);
    w.raw(SIZE);
    w.ascii(p.size);
    w.raw(SCORE);
    decimal(w, c.score, r);
    w.raw(RANK);
    w.uint(r + 1);
    w.raw(INDICATOR);
    const ind = c.indicator[r]!;
    if (Number.isInteger(ind)) w.uint(ind);
    else w.ascii(String(ind));
    w.raw(PNL_RATIO);
    decimal(w, c.pnlRatio, r);
    w.raw(LEVERAGE);
    decimal(w, c.effectiveLeverage, r);
    w.raw(BANKRUPTCY_PRICE);
    decimal(w, c.bankruptcyPrice, r);
    w.ascii("}");
  }
  w.ascii("]");
}

export function rankingsJsonBytes(cols: { long: RankedColumns; short: RankedColumns }): Uint8Array<ArrayBuffer> {
  const w = new ByteWriter((cols.long.n + cols.short.n) * 200 + 64);
  w.ascii('{"long":');
  side(w, cols.long);
  w.ascii(',"short":');
  side(w, cols.short);
  w.ascii("}");
  return w.bytes();
}
