/**
 * The book a stress run starts from, prepared once for every path and policy: each position validated once (from its
 * strings; its decimals are built only when the run reads them: most positions are never liquidated or deleveraged),
 * its liquidation price on the tick grid computed once (ticks.ts, the exact specification, accelerated by
 * fast/liquidation-ticks.ts with an error bound and the exact fallback), and the positions sorted once by it: longs
 * by liquidation price descending (a falling mark reaches the highest first), shorts ascending.
 * Plain data in, result out; no I/O, no clock.
 */
import type { Decimal } from "../num/decimal";
import type { FundConfig } from "../fund/config";
import type { LiquidationConvention } from "../liquidation-price";
import { fastPosition } from "../fast/parsed-position";
import { type ParsedPosition, parsePosition } from "../position";
import type { Market, PositionInput } from "../types";
import { type FastTickContext, fastLiquidationTicks, fastTickContext } from "./fast/liquidation-ticks";
import type { LiquidatedPart } from "./fast/parsed-liquidation";
import { liquidationTicks } from "./ticks";

export { liquidationTicks, ticksToWire, toTicks } from "./ticks";

export interface PreparedBook {
  config: FundConfig;
  /** The market as the wire (and prepareBatch) takes it. */
  market: Market;
  tick: Decimal;
  positions: readonly PositionInput[];
  parsed: readonly ParsedPosition[];
  /** Liquidation price in ticks; NaN when the position has none (it is never liquidated, only deleveraged). */
  lpTicks: Float64Array;
  /** Bankruptcy price in ticks where the float bound decided it (fast/liquidation-ticks.ts), else NaN. */
  bpTicks: Float64Array;
  /** Sizes as floats (contracts), for the impact models only. */
  sizeContracts: Float64Array;
  /** Longs with a liquidation price, highest first; ties by accountId. */
  longOrder: Int32Array;
  /** Shorts with a liquidation price, lowest first; ties by accountId. */
  shortOrder: Int32Array;
  mmr: Decimal;
  convention: LiquidationConvention;
  indexOf: ReadonlyMap<string, number>;
  /**
   * Each position's part of a liquidation request's parse (fast/parsed-liquidation.ts), computed the first time a
   * path liquidates it and shared by every later path and policy (a memo: it depends on the position alone).
   */
  liquidatedParts: (LiquidatedPart | undefined)[];
  /**
   * The float liquidation ticks' context (fast/liquidation-ticks.ts), for positions ADL reduces during a path
   * (open-book.ts); null in the exact mode, where every position is parsed and priced by the specification.
   */
  fastTicks: FastTickContext | null;
}

export function prepareBook(config: FundConfig, market: Market, positions: readonly PositionInput[], mmr: Decimal, convention: LiquidationConvention, mode: "fast" | "exact" = "fast", knownIndex?: ReadonlyMap<string, number>): PreparedBook {
  const tick = config.market.tickSize;
  const n = positions.length;
  const parsed: ParsedPosition[] = new Array(n);
  const lpTicks = new Float64Array(n);
  const bpTicks = new Float64Array(n).fill(NaN);
  const bpOut = { bankruptcyTicks: NaN };
  const sizeContracts = new Float64Array(n);
  const longs: number[] = [];
  const shorts: number[] = [];
  const base = { config, tick, mmr, convention };
  const fast = fastTickContext(base);
  const lotSize = config.market.lotSize.toFixed();
  // accountId -> index: the caller's when it built it already (the duplicate check), else built here.
  const indexOf = knownIndex ?? new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const input = positions[i]!;
    // The strict string check parsePosition agrees with; anything else goes through parsePosition (its errors).
    // Exact mode: the specification alone (parsePosition and the exact liquidation price for every position).
    const raw = mode === "fast" ? fastPosition(input, config.market, lotSize, "/positions", i) : undefined;
    const p = raw ?? parsePosition(input, config.market, `/positions/${i}`);
    parsed[i] = p;
    if (!knownIndex) (indexOf as Map<string, number>).set(p.accountId, i);
    if (raw) {
      lpTicks[i] = fastLiquidationTicks(fast, input, () => raw, bpOut);
      bpTicks[i] = bpOut.bankruptcyTicks;
      // Number() of the size string is the same float as size.toNumber() (both round the same value correctly).
      sizeContracts[i] = Number(input.size);
    } else {
      lpTicks[i] = liquidationTicks(base, p);
      sizeContracts[i] = p.size.toNumber();
    }
    if (Number.isNaN(lpTicks[i]!)) continue;
    (p.side === "long" ? longs : shorts).push(i);
  }
  return {
    config, market, tick, positions, parsed, lpTicks, bpTicks, sizeContracts,
    longOrder: sortByTicks(longs, lpTicks, positions, -1, mode),
    shortOrder: sortByTicks(shorts, lpTicks, positions, 1, mode),
    mmr, convention, indexOf, liquidatedParts: new Array(n),
    fastTicks: mode === "fast" ? fast : null,
  };
}

const byId = (positions: readonly PositionInput[]) => (a: number, b: number) => (positions[a]!.accountId < positions[b]!.accountId ? -1 : positions[a]!.accountId > positions[b]!.accountId ? 1 : 0);

/**
 * The indices sorted by liquidation price in ticks (`dir` 1 ascending, -1 descending), ties by accountId: the total
 * order the comparator `dir*(lp[a] - lp[b]) || byId(a, b)` gives. Fast path: ticks are whole numbers, so
 * key = ticks*n + rank is exact below 2^53 and a numeric typed-array sort (no comparator) orders by ticks; each run
 * of equal ticks is then put in accountId order. Larger ticks, and the exact mode: the comparator sort itself.
 */
function sortByTicks(idx: number[], lp: Float64Array, positions: readonly PositionInput[], dir: 1 | -1, mode: "fast" | "exact"): Int32Array {
  const n = idx.length;
  const cmpId = byId(positions);
  let max = 0;
  for (const i of idx) max = Math.max(max, lp[i]!);
  if (mode === "exact" || !((max + 1) * (n + 1) < 2 ** 53)) {
    idx.sort((a, b) => dir * (lp[a]! - lp[b]!) || cmpId(a, b));
    return Int32Array.from(idx);
  }
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = dir * lp[idx[k]!]! * n + k; // ticks first, then the slot k (< n)
  keys.sort();
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const key = keys[k]!;
    const slot = ((key % n) + n) % n;
    out[k] = idx[slot]!;
  }
  // Equal ticks: accountId order (the comparator's tie-break).
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && lp[out[b]!] === lp[out[a]!]) b++;
    if (b - a > 1) out.subarray(a, b).sort(cmpId);
    a = b;
  }
  return out;
}
