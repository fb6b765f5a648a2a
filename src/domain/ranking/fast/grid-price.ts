/**
 * A linear position's bankruptcy price on the tick grid when the float keys cannot round it because a grid point lies
 * inside their bracket: the common case of a BP exactly on the grid (a margin of notional/leverage gives
 * BP = E*(1 - s/L), on the grid for many leverages: 9% of bench/data.ts's book). The specification rounds the exact
 * BP (bankruptcy-price.ts: a long's up, a short's down, the fund's favour); here the bracket (k - 1, k + 1) ticks
 * (fast/format.ts gridPointInBracket) and the exact sign of BP - k*tick decide the same rounding, from the decimal
 * strings as scaled integers, without building decimals:
 *   BP - k*tick = ((E - k*tick)*Q*K - s*M) / (Q*K),  Q*K > 0,
 * so with every string scaled to an integer (x = x_int / 10^x_dp) the sign is that of
 *   (E_int*10^t_dp - k*t_int*10^E_dp) * Q_int * K_int * 10^M_dp  -  s * M_int * 10^(E_dp + t_dp + Q_dp + K_dp).
 * Proven equal to reportedBankruptcyPrice by test/domain/ranking-grid-price.property.test.ts; the ranking property
 * test covers it as part of the whole ranking. Inverse contracts keep the exact fall-back.
 */
import { decimalsOf, scaledBig } from "../../num/digits";
import type { Side } from "../../types";

const pow10 = (n: number) => 10n ** BigInt(n);

/** The grid's tick and the contract size as scaled integers, read once per batch. */
export interface LinearGrid {
  tick: bigint;
  tickDp: number;
  contractSize: bigint;
  contractSizeDp: number;
}

export function linearGrid(tickSize: string, contractSize: string): LinearGrid {
  const tickDp = decimalsOf(tickSize);
  const contractSizeDp = decimalsOf(contractSize);
  return { tick: scaledBig(tickSize, tickDp), tickDp, contractSize: scaledBig(contractSize, contractSizeDp), contractSizeDp };
}

/** sign(BP - k*tick) of a linear position, exactly. */
export function linearBpSignAt(g: LinearGrid, side: Side, size: string, entryPrice: string, margin: string, k: number): -1 | 0 | 1 {
  const eDp = decimalsOf(entryPrice);
  const qDp = decimalsOf(size);
  const mDp = decimalsOf(margin);
  const e = scaledBig(entryPrice, eDp);
  const q = scaledBig(size, qDp);
  const m = scaledBig(margin, mDp);
  const gap = (e * pow10(g.tickDp) - BigInt(k) * g.tick * pow10(eDp)) * q * g.contractSize * pow10(mDp);
  const sM = (side === "long" ? m : -m) * pow10(eDp + g.tickDp + qDp + g.contractSizeDp);
  const d = gap - sM;
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

/**
 * The BP in whole ticks rounded in the fund's favour, given the one grid point k of the bracket: a long's BP up
 * (at or below k: k, above: k + 1), a short's down (at or above k: k, below: k - 1). NaN when k is too close to zero
 * for the bracket to exclude a BP at or below zero (the exact path decides "no BP" and "rounds to 0").
 */
export function linearBpSteps(g: LinearGrid, side: Side, size: string, entryPrice: string, margin: string, k: number): number {
  if (!(k >= 2)) return NaN;
  const c = linearBpSignAt(g, side, size, entryPrice, margin, k);
  if (side === "long") return c <= 0 ? k : k + 1;
  return c >= 0 ? k : k - 1;
}
