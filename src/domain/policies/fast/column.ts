/**
 * One exact value per counterparty (uPnL, equity) with a float estimate of each, for the policies' float-first
 * decisions. Linear markets: every value is a finite decimal, held as an integer at one scale 10^dp (BigInt, exact;
 * sums and cross-products exact), and a Decimal is built only for the few accounts floats cannot decide. Otherwise
 * (inverse, caller budgets): the Decimals themselves, with the operations in the order the policies always used, so
 * that 160-digit roundings stay what they were. Estimates are within 4*2^-53 relative either way.
 * Plain data in, result out; no I/O, no clock.
 */
import { Decimal, ZERO } from "../../num/decimal";
import { scaledToWire } from "../../num/rational";

/**
 * A column and its running sums: `S` is the representation of a sum (BigInt at the column's scale, or a Decimal),
 * known only to the column that made it. The policies hold a `Column<unknown>`: they pass sums back to the column
 * that made them and read them only through `dec`, so one policy body serves both kinds of column.
 */
export interface Column<S = unknown> {
  f: Float64Array;
  /** Sign of value i: -1, 0, 1. */
  sign(i: number): number;
  /** Exact value i. */
  at(i: number): Decimal;
  zero(): S;
  add(acc: S, i: number): S;
  sub(acc: S, i: number): S;
  minus(a: S, b: S): S;
  dec(acc: S): Decimal;
  /** Sign of value_a*x - value_b*y (exact). */
  crossCmp(a: number, x: bigint, b: number, y: bigint): number;
}

export function decimalColumn(values: readonly Decimal[]): Column<Decimal> {
  const f = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) f[i] = values[i]!.toNumber();
  return {
    f,
    sign: (i) => values[i]!.cmp(0),
    at: (i) => values[i]!,
    zero: () => ZERO,
    add: (acc, i) => acc.plus(values[i]!),
    sub: (acc, i) => acc.minus(values[i]!),
    minus: (a, b) => a.minus(b),
    dec: (acc) => acc,
    crossCmp: (a, x, b, y) => values[a]!.times(x.toString()).cmp(values[b]!.times(y.toString())),
  };
}

export function scaledColumn(ints: readonly bigint[], dp: number): Column<bigint> {
  const n = ints.length;
  const f = new Float64Array(n);
  const scale = 10 ** dp;
  for (let i = 0; i < n; i++) f[i] = dp <= 22 ? Number(ints[i]!) / scale : Number(`${ints[i]!}e-${dp}`);
  const dec = (v: bigint) => new Decimal(scaledToWire(v, dp));
  return {
    f,
    sign: (i) => (ints[i]! > 0n ? 1 : ints[i]! < 0n ? -1 : 0),
    at: (i) => dec(ints[i]!),
    zero: () => 0n,
    add: (acc, i) => acc + ints[i]!,
    sub: (acc, i) => acc - ints[i]!,
    minus: (a, b) => a - b,
    dec,
    crossCmp: (a, x, b, y) => {
      const l = ints[a]! * x;
      const r = ints[b]! * y;
      return l > r ? 1 : l < r ? -1 : 0;
    },
  };
}
