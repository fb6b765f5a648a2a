/**
 * Scaled-integer arithmetic for the allocating policies' hot paths: a fill's realised PnL and sizes from the wire
 * strings, without decimal objects. Every value here is a finite decimal (prices, sizes, contract size), so it is an
 * integer at a known power of ten; sums and products stay integers and are exact in safe-integer doubles (checked)
 * or BigInt. The one division (inverse PnL) is decided by a float with a rigorous error bound, else exactly in BigInt.
 * Results are the exact roundings closePnl + amountToWire(.., "down") give (fills.ts): decimal.js divides at 160
 * digits, and a quotient of inputs of at most 40 significant digits is either on the 10^-8 grid or further from it
 * than that precision, so its floor at 8 places is the exact floor computed here.
 * Plain data in, result out; no I/O, no clock.
 */
import { AMOUNT_DP, type Decimal } from "../../num/decimal";
import type { ParsedMarket } from "../../market";
import type { ParsedPosition } from "../../position";
import { big, decimalsOf, scaledBig, scaledInt } from "../../num/digits";
import { pow10, scaledToWire } from "../../num/rational";
import { accountValueString, entryString, marginString } from "../../fast/parsed-position";
import { UNIT_ROUNDOFF } from "../../num/float-screens";

const SAFE = 2 ** 53;
const U = UNIT_ROUNDOFF;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b < 0n) !== (b < 0n) && a % b !== 0n ? q - 1n : q;
}

/**
 * Realised PnL strings of fills at one price: s*q*K*(x - E) (linear) or s*q*K*(x - E)/(E*x) (inverse), rounded
 * down (toward -infinity) at AMOUNT_DP, as fills.ts fillToWire writes them. q is given in whole lots.
 */
export class PnlWriter {
  private readonly inverse: boolean;
  private readonly lotDp: number;
  private readonly lotInt: bigint;
  /** lots -> contracts*K scaled by 10^(lotDp + kDp): one lot is lotInt*kInt. */
  private readonly perLot: bigint;
  private readonly perLotF: number;
  private readonly pdp: number;
  private readonly x: bigint;
  private readonly xF: number;
  /** Scale of s*l*perLot*(X - E): 10^(lotDp + kDp + pdp). */
  private readonly scale: number;

  constructor(market: ParsedMarket, price: Decimal) {
    this.inverse = market.contractType === "inverse";
    const lot = market.lotSize.toFixed();
    const k = market.contractSize.toFixed();
    const xs = price.toFixed();
    this.lotDp = decimalsOf(lot);
    this.lotInt = scaledBig(lot, this.lotDp);
    const kDp = decimalsOf(k);
    this.perLot = this.lotInt * scaledBig(k, kDp);
    this.perLotF = Number(this.perLot) < SAFE ? Number(this.perLot) : NaN;
    this.pdp = Math.max(market.tickDecimals, decimalsOf(xs));
    this.x = scaledBig(xs, this.pdp);
    this.xF = Number(this.x) < SAFE ? Number(this.x) : NaN;
    this.scale = this.lotDp + kDp + this.pdp;
  }

  /** A whole number of lots (a BigInt, or a safe-integer double) as a contract quantity on the wire. */
  size(lots: bigint | number): string {
    if (this.lotInt === 1n) return scaledToWire(lots, this.lotDp);
    return scaledToWire(BigInt(lots) * this.lotInt, this.lotDp);
  }

  /** Whether `pnl` can write a position of this entry price (its decimals within the price grid's). */
  fits(entry: string): boolean {
    return decimalsOf(entry) <= this.pdp;
  }

  /** Realised PnL of closing `lots` lots of a position (sign, entry as a decimal string) at the price. */
  pnl(sign: 1 | -1, entry: string, lots: bigint): string {
    if (decimalsOf(entry) > this.pdp) throw new RangeError(`entry price ${entry} has more decimals than the price grid`);
    const m = this.scale - AMOUNT_DP;
    const eF = scaledInt(entry, this.pdp);
    const lF = Number(lots);
    if (eF === eF && this.xF === this.xF && this.perLotF === this.perLotF && lF < SAFE) {
      const a = lF * this.perLotF;
      const v = sign * a * (this.xF - eF);
      if (a < SAFE && Math.abs(v) < SAFE) {
        if (!this.inverse) {
          if (m <= 0) {
            const w = v * 10 ** -m;
            if (Math.abs(w) < SAFE) return scaledToWire(w, AMOUNT_DP);
          } else if (m <= 15 && Math.abs(v) < 2 ** 52) {
            const p = 10 ** m;
            let q = Math.floor(v / p);
            const r = v - q * p;
            if (r < 0) q--;
            else if (r >= p) q++;
            return scaledToWire(q, AMOUNT_DP);
          }
        } else {
          // floor(v * 10^(2*pdp - scale + 8) / (E*X)): three roundings, each within u relative.
          const e = 2 * this.pdp - this.scale + AMOUNT_DP;
          if (e >= -22 && e <= 22 && eF > 0) {
            const f = e >= 0 ? ((v * 10 ** e) / eF) / this.xF : (v / eF / this.xF) / 10 ** -e;
            const err = Math.abs(f) * 8 * U;
            const q = Math.floor(f);
            if (Math.abs(f) < 2 ** 52 && f - err > q && f + err < q + 1) return scaledToWire(q, AMOUNT_DP);
          }
        }
      }
    }
    return scaledToWire(this.exact(sign, entry, lots), AMOUNT_DP);
  }

  /** The same floor in BigInt. */
  exact(sign: 1 | -1, entry: string, lots: bigint): bigint {
    const E = scaledBig(entry, this.pdp);
    const v = BigInt(sign) * lots * this.perLot * (this.x - E);
    const m = this.scale - AMOUNT_DP;
    if (!this.inverse) return m <= 0 ? v * pow10(-m) : floorDiv(v, pow10(m));
    const e = 2 * this.pdp - this.scale + AMOUNT_DP;
    return e >= 0 ? floorDiv(v * pow10(e), E * this.x) : floorDiv(v, E * this.x * pow10(-e));
  }
}

/** Linear uPnL at mark (s*Q*K*(P - E)) and equity (A when given, else M + uPnL) as integers at one scale. */
export interface LinearValues {
  upnl: bigint[];
  upnlDp: number;
  equity: bigint[] | null;
  equityDp: number;
}

/**
 * Exact uPnL (and equity when asked) of every position of a linear market, from lots and the wire strings: each is a
 * finite decimal, an integer at 10^dp. Doubles where every product stays a safe integer, else BigInt.
 */
export function linearValues(
  market: ParsedMarket,
  mark: Decimal,
  positions: readonly ParsedPosition[],
  held: readonly bigint[],
  withEquity: boolean,
): LinearValues {
  const lot = market.lotSize.toFixed();
  const k = market.contractSize.toFixed();
  const ps = mark.toFixed();
  const lotDp = decimalsOf(lot);
  const kDp = decimalsOf(k);
  const perLot = scaledBig(lot, lotDp) * scaledBig(k, kDp);
  const perLotF = Number(perLot) < SAFE ? Number(perLot) : NaN;
  let pdp = Math.max(market.tickDecimals, decimalsOf(ps));
  const entries = positions.map(entryString);
  for (const e of entries) pdp = Math.max(pdp, decimalsOf(e));
  const P = scaledBig(ps, pdp);
  const PF = Number(P) < SAFE ? Number(P) : NaN;
  const S = lotDp + kDp + pdp;
  const n = positions.length;
  const upnl = new Array<bigint>(n);
  const upnlF = new Float64Array(n); // the exact value when a safe integer, else NaN
  for (let i = 0; i < n; i++) {
    const p = positions[i]!;
    const eF = scaledInt(entries[i]!, pdp);
    const lF = Number(held[i]!);
    const a = lF * perLotF;
    const v = p.sign * a * (PF - eF);
    if (a < SAFE && Math.abs(v) < SAFE) {
      upnlF[i] = v;
      upnl[i] = BigInt(v);
    } else {
      upnlF[i] = NaN;
      upnl[i] = BigInt(p.sign) * held[i]! * perLot * (P - scaledBig(entries[i]!, pdp));
    }
  }
  if (!withEquity) return { upnl, upnlDp: S, equity: null, equityDp: S };
  const own = new Array<string>(n);
  const isA = new Uint8Array(n);
  let D = S;
  for (let i = 0; i < n; i++) {
    const a = accountValueString(positions[i]!);
    isA[i] = a === null ? 0 : 1;
    own[i] = a ?? marginString(positions[i]!);
    D = Math.max(D, decimalsOf(own[i]!));
  }
  const shift = 10 ** (D - S);
  const shiftBig = pow10(D - S);
  const equity = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const s = own[i]!;
    const neg = s.charCodeAt(0) === 45;
    const mF = scaledInt(neg ? s.slice(1) : s, D);
    if (isA[i]) {
      equity[i] = mF === mF ? BigInt(neg ? -mF : mF) : (neg ? -1n : 1n) * scaledBig(neg ? s.slice(1) : s, D);
      continue;
    }
    const u = upnlF[i]! * shift;
    const w = mF + u;
    equity[i] = mF === mF && Math.abs(u) < SAFE && Math.abs(w) < SAFE ? BigInt(w) : scaledBig(s, D) + upnl[i]! * shiftBig;
  }
  return { upnl, upnlDp: S, equity, equityDp: D };
}

/**
 * Linear markets: most whole lots a position can close at `price` without its haircut passing its uPnL at mark,
 * floor(lots*(P - E)/(P - x)) (common.ts lotsWithinPnl, where lot size and K cancel), exact: safe-integer doubles
 * with the quotient corrected by its remainder, else BigInt. Callers use it only when x != P.
 */
export class LinearCap {
  private readonly pdp: number;
  private readonly P: bigint;
  private readonly den: bigint;
  private readonly PF: number;
  private readonly denF: number;

  constructor(market: ParsedMarket, mark: Decimal, price: Decimal) {
    const ms = mark.toFixed();
    const xs = price.toFixed();
    this.pdp = Math.max(market.tickDecimals, decimalsOf(ms), decimalsOf(xs));
    this.P = scaledBig(ms, this.pdp);
    this.den = this.P - scaledBig(xs, this.pdp);
    this.PF = Number(this.P) < SAFE ? Number(this.P) : NaN;
    this.denF = Math.abs(Number(this.den)) < 2 ** 52 ? Number(this.den) : NaN;
  }

  lots(entry: string, lots: bigint): bigint {
    if (decimalsOf(entry) > this.pdp) throw new RangeError(`entry price ${entry} has more decimals than the price grid`);
    const eF = scaledInt(entry, this.pdp);
    const num = Number(lots) * (this.PF - eF);
    const d = this.denF;
    if (Math.abs(num) < 2 ** 52 && d === d && d !== 0) {
      // |q*d| <= |num| + |d| < 2^53: the correction below is exact.
      let q = Math.floor(num / d);
      const r = num - q * d;
      if (d > 0 ? r < 0 : r > 0) q--;
      else if (d > 0 ? r >= d : r <= d) q++;
      return big(q);
    }
    return floorDiv(lots * (this.P - scaledBig(entry, this.pdp)), this.den);
  }
}
