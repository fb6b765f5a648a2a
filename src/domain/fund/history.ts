/**
 * The insurance fund's balance over time as OHLC buckets, computed exactly from its ledger (no floats, no rounding:
 * every figure is a ledger balance or the difference of two). Plain data in, result out; no I/O, no clock.
 *
 * Buckets are whole UTC-aligned intervals [start, start + interval). Each bucket's open is the balance at its start
 * (the previous bucket's close), high and low the extremes of the open and every balanceAfter inside it, close the
 * balance at its end, netFlow = close - open (which the ledger's chain balanceAfter = previous + amount makes equal
 * to the sum of the bucket's amounts), entries the count. An interval without entries is still a bucket, flat at
 * the carried balance with entries 0, so a chart's x axis is uniform and the last bucket closes at the balance at the
 * end of the range (the current balance when the range ends now).
 */
import { Decimal } from "../num/decimal";

export const HISTORY_INTERVALS = { "1m": 60_000, "1h": 3_600_000, "1d": 86_400_000 } as const;
export type HistoryInterval = keyof typeof HISTORY_INTERVALS;
/** Most buckets one request may ask for (a chart has no use for more; bounds the response and the work). */
export const MAX_HISTORY_BUCKETS = 10_000;

export interface HistoryEntry {
  /** The entry's balanceAfter (exact decimal text). */
  balanceAfter: string;
  /** Epoch ms; entries come in ledger order, whose times never decrease. */
  at: number;
}

export interface HistoryBucket {
  start: number;
  open: string;
  high: string;
  low: string;
  close: string;
  netFlow: string;
  entries: number;
}

/** Start of the interval containing `ms` (UTC-aligned: epoch multiples of the interval). */
export const alignDown = (ms: number, intervalMs: number) => Math.floor(ms / intervalMs) * intervalMs;
export const alignUp = (ms: number, intervalMs: number) => Math.ceil(ms / intervalMs) * intervalMs;

/**
 * Buckets for [startMs, endMs) (both aligned to intervalMs), from the balance at startMs and the entries with
 * startMs <= at < endMs in ledger order. Entries outside the range are a caller error and throw.
 */
export function fundHistory(opening: string, entries: Iterable<HistoryEntry>, startMs: number, endMs: number, intervalMs: number): HistoryBucket[] {
  if (startMs % intervalMs !== 0 || endMs % intervalMs !== 0) throw new Error("history range must be aligned to the interval");
  const n = Math.max(0, (endMs - startMs) / intervalMs);
  const out: HistoryBucket[] = [];
  let balance = opening;
  let i = 0;
  let cur: HistoryBucket | null = null;
  const close = (b: HistoryBucket) => {
    b.netFlow = new Decimal(b.close).minus(b.open).toFixed();
    out.push(b);
  };
  const flat = (start: number): HistoryBucket => ({ start, open: balance, high: balance, low: balance, close: balance, netFlow: "0", entries: 0 });
  for (const e of entries) {
    const k = Math.floor((e.at - startMs) / intervalMs);
    if (k < i - (cur ? 1 : 0) || k >= n) throw new Error(`ledger entry at ${e.at} is outside the history range or out of order`);
    if (cur && k !== i - 1) {
      close(cur);
      cur = null;
    }
    if (!cur) {
      for (; i < k; i++) out.push(flat(startMs + i * intervalMs));
      cur = flat(startMs + i * intervalMs);
      i++;
    }
    const v = e.balanceAfter;
    if (compareDecimalText(v, cur.high) > 0) cur.high = v;
    if (compareDecimalText(v, cur.low) < 0) cur.low = v;
    cur.close = v;
    cur.entries++;
    balance = v;
  }
  if (cur) close(cur);
  for (; i < n; i++) out.push(flat(startMs + i * intervalMs));
  return out;
}

/**
 * Exact order of two plain decimal strings ("-12.5", "0.001", "100"), without allocating decimal objects: the
 * history reads one balance per ledger entry, and a million Decimal constructions would dominate it.
 */
export function compareDecimalText(a: string, b: string): number {
  const na = a.charCodeAt(0) === 45;
  const nb = b.charCodeAt(0) === 45;
  if (na !== nb) return isZero(a) && isZero(b) ? 0 : na ? -1 : 1;
  const m = compareMagnitude(na ? a.slice(1) : a, nb ? b.slice(1) : b);
  return na ? -m : m;
}

function isZero(s: string): boolean {
  return /^-?0(\.0*)?$/.test(s);
}

function compareMagnitude(a: string, b: string): number {
  const da = a.indexOf(".");
  const db = b.indexOf(".");
  const ia = da < 0 ? a : a.slice(0, da);
  const ib = db < 0 ? b : b.slice(0, db);
  // No leading zeros in the integer part (plain decimal text), so a longer integer part is larger.
  if (ia.length !== ib.length) return ia.length < ib.length ? -1 : 1;
  if (ia !== ib) return ia < ib ? -1 : 1;
  const fa = da < 0 ? "" : a.slice(da + 1);
  const fb = db < 0 ? "" : b.slice(db + 1);
  const len = Math.max(fa.length, fb.length);
  for (let k = 0; k < len; k++) {
    const ca = k < fa.length ? fa.charCodeAt(k) : 48;
    const cb = k < fb.length ? fb.charCodeAt(k) : 48;
    if (ca !== cb) return ca < cb ? -1 : 1;
  }
  return 0;
}
