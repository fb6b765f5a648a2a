/**
 * JSON for the rankings response, written straight from the domain's columns into bytes: for 100k positions this
 * avoids 100k objects, ~800k field strings, a generic JSON.stringify walk and a UTF-8 re-encode. The output is
 * byte-identical to JSON.stringify of rankPositions() (tested in test/node/serialize-rankings.test.ts).
 */
import type { DecimalColumn, RankedColumns } from "../domain/ranking/rank";
import type { PositionInput } from "../domain/types";
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

/**
 * The part of every row from the account id's string literal through the size's digits, for each position of the
 * batch in request order: `"<accountId>","size":"<size>` as bytes, position i's at [start[i], start[i + 1]).
 * Written in request order, which is the order the parsed batch lies in memory; the rows then copy these bytes in
 * queue order instead of visiting each position's object and strings there (two dependent cache misses a row: about
 * a third of the serialiser's time for 100k positions).
 */
interface RowHeads {
  bytes: Uint8Array;
  start: Int32Array;
}

function rowHeads(batch: readonly PositionInput[]): RowHeads {
  const n = batch.length;
  const w = new ByteWriter(n * 32);
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = batch[i]!;
    start[i] = w.pos;
    w.jsonString(p.accountId);
    w.raw(SIZE);
    w.ascii(p.size);
  }
  start[n] = w.pos;
  return { bytes: w.buf, start };
}

function side(w: ByteWriter, c: RankedColumns, heads: RowHeads): void {
  w.ascii("[");
  const { bytes, start } = heads;
  for (let r = 0; r < c.n; r++) {
    const i = c.index[r]!;
    w.raw(r === 0 ? FIRST : NEXT);
    w.copy(bytes, start[i]!, start[i + 1]!);
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
  const heads = rowHeads(cols.long.batch);
  w.ascii('{"long":');
  side(w, cols.long, heads);
  w.ascii(',"short":');
  side(w, cols.short, cols.short.batch === cols.long.batch ? heads : rowHeads(cols.short.batch));
  w.ascii("}");
  return w.bytes();
}
