/**
 * Acceleration of `liquidationTicks` (../ticks.ts, the specification in exact decimals): a position's liquidation
 * price in ticks computed in float64 from its wire strings, with a rigorous bound on the float error, and the exact
 * specification run whenever the bound cannot decide (a sign near zero, a value within the bound of a tick boundary,
 * anything non-finite or beyond 2^52 ticks). Proven equal to the specification by the property test
 * test/domain/simulation-fast.property.test.ts (random books, and positions built to sit exactly on a tick).
 *
 * Why: a 100,000-position book spent most of its preparation in decimal.js allocation (two exact formulas, a
 * rounding and a division per position); floats decide all but a handful.
 *
 * Error model (as in ranking/fast/batch.ts): Number() of a decimal string rounds correctly (relative error <= U = 2^-53);
 * each float operation adds <= U relative plus TINY absolute (underflow); absolute errors are propagated through
 * every product, sum and quotient of the formulas below (the same formulas as liquidation-price.ts and
 * bankruptcy-price.ts, in the same order), and the final bound is doubled to cover the rounding of the bound's own
 * arithmetic. A decision is taken only when the whole interval value +- bound lies on one side of it.
 * Plain data in, result out; no I/O, no clock.
 */
import type { PositionInput } from "../../types";
import type { ParsedPosition } from "../../position";
import { type TickContext, liquidationTicks } from "../ticks";

const U = 2 ** -53;
/** Absolute error one operation can add through underflow (subnormal spacing is 2^-1074; generous). */
const TINY = 2 ** -1060;
/** The interval is value +- SAFETY * bound (see the header). */
const SAFETY = 2;
/** Beyond this many ticks the float cannot hold every integer with room for the bound: the specification decides. */
const MAX_TICKS = 2 ** 52;

/** The market and rule as floats (with their conversion errors), and the exact context for the fallback. */
export interface FastTickContext {
  exact: TickContext;
  inverse: boolean;
  markConvention: boolean;
  K: number;
  eK: number;
  mmr: number;
  eMmr: number;
  tick: number;
  eTick: number;
}

export function fastTickContext(exact: TickContext): FastTickContext {
  const m = exact.config.market;
  const K = Number(m.contractSize.toFixed());
  const mmr = Number(exact.mmr.toFixed());
  const tick = Number(exact.tick.toFixed());
  return {
    exact,
    inverse: m.contractType === "inverse",
    markConvention: exact.convention === "mark",
    K,
    eK: K * U,
    mmr,
    eMmr: mmr * U,
    tick,
    eTick: tick * U,
  };
}

// Error bounds of one operation whose float result is v (pure functions: no module state, which V8's JIT in workerd
// mishandled when helpers wrote module-level variables).
function mulErr(a: number, ea: number, b: number, eb: number, v: number): number {
  return Math.abs(a) * eb + Math.abs(b) * ea + ea * eb + Math.abs(v) * U + TINY;
}

function addErr(ea: number, eb: number, v: number): number {
  return ea + eb + Math.abs(v) * U + TINY;
}

/** Of a / b = v; the caller has checked |b| > eb. */
function divErr(a: number, ea: number, b: number, eb: number, v: number): number {
  const ab = Math.abs(b);
  return (ab * ea + Math.abs(a) * eb) / (ab * (ab - eb)) + Math.abs(v) * U + TINY;
}

const POSITIVE = 1;
const NOT_POSITIVE = 0;
const UNDECIDED = -1;

/** Whether the exact value is > 0, from the interval v +- SAFETY*e. */
function sign(v: number, e: number): number {
  const w = SAFETY * e;
  if (!(Number.isFinite(v) && Number.isFinite(w))) return UNDECIDED;
  if (v - w > 0) return POSITIVE;
  if (v + w <= 0) return NOT_POSITIVE;
  return UNDECIDED;
}

/** Where fastLiquidationTicks also leaves the bankruptcy price it decided along the way. */
export interface BankruptcyOut {
  /**
   * bankruptcyTicks (../ticks.ts) of the position, or NaN when the bound cannot decide it or the position has none:
   * then the caller runs the specification (which also raises its refusal).
   */
  bankruptcyTicks: number;
}

/**
 * liquidationTicks(ctx.exact, parsed()) for the position whose wire strings are `input` (already validated by the
 * caller), without decimals unless the bound cannot decide; `parsed` is called only then.
 */
export function fastLiquidationTicks(ctx: FastTickContext, input: PositionInput, parsed: () => ParsedPosition, out: BankruptcyOut = { bankruptcyTicks: NaN }): number {
  const r = floatTicks(ctx, input, out);
  return r === UNDECIDED_TICKS ? liquidationTicks(ctx.exact, parsed()) : r;
}

const UNDECIDED_TICKS = -2;

/** Ticks of the positive exact value num/den: ceil for a long (up), floor for a short (down), or UNDECIDED_TICKS. */
function roundedTicks(ctx: FastTickContext, s: 1 | -1, num: number, enm: number, den: number, eden: number): number {
  const price = num / den;
  const ePrice = divErr(num, enm, den, eden, price);
  if (!(Math.abs(price) > SAFETY * ePrice)) return UNDECIDED_TICKS;
  const x = price / ctx.tick;
  const w = SAFETY * divErr(price, ePrice, ctx.tick, ctx.eTick, x);
  const lo = x - w;
  const hi = x + w;
  if (!(Number.isFinite(lo) && Number.isFinite(hi)) || hi > MAX_TICKS) return UNDECIDED_TICKS;
  const k = s === 1 ? Math.ceil(lo) : Math.floor(lo);
  return k === (s === 1 ? Math.ceil(hi) : Math.floor(hi)) ? k : UNDECIDED_TICKS;
}

/** NaN (no liquidation price), a whole number of ticks, or UNDECIDED_TICKS. */
function floatTicks(ctx: FastTickContext, input: PositionInput, out: BankruptcyOut): number {
  out.bankruptcyTicks = NaN;
  const s: 1 | -1 = input.side === "long" ? 1 : -1;
  const Q = Number(input.size);
  const E = Number(input.entryPrice);
  const M = Number(input.margin);
  const eQ = Q * U;
  const eE = E * U;
  const eM = M * U;
  const { K, eK, mmr: m, eMmr: em } = ctx;
  const qk = Q * K;
  const eqk = mulErr(Q, eQ, K, eK, qk);

  // Bankruptcy price parts (bankruptcy-price.ts): linear (E*QK - s*M) / QK, inverse QK*E / (QK + s*M*E).
  const eqkV = E * qk;
  const eqkE = mulErr(E, eE, qk, eqk, eqkV);
  const meV = M * E;
  const meE = mulErr(M, eM, E, eE, meV);
  let bn: number, ebn: number, bd: number, ebd: number;
  if (!ctx.inverse) {
    bn = eqkV + -s * M;
    ebn = addErr(eqkE, eM, bn);
    bd = qk;
    ebd = eqk;
  } else {
    bn = eqkV; // QK*E (same product, same order as QK*E in the formula)
    ebn = eqkE;
    bd = qk + s * meV;
    ebd = addErr(eqk, meE, bd);
  }
  const bnS = sign(bn, ebn);
  const bdS = sign(bd, ebd);
  if (bnS === UNDECIDED || bdS === UNDECIDED) return UNDECIDED_TICKS;
  if (bnS === NOT_POSITIVE || bdS === NOT_POSITIVE) return NaN;
  // Bankruptcy price on the grid, rounded in the fund's favour (a long's up, a short's down), as bankruptcyPrice.
  const bk = roundedTicks(ctx, s, bn, ebn, bd, ebd);
  if (bk !== UNDECIDED_TICKS && bk > 0) out.bankruptcyTicks = bk;

  // Liquidation price parts (liquidation-price.ts).
  let num: number, enm: number, den: number, eden: number;
  if (!ctx.inverse) {
    if (!ctx.markConvention) {
      // (E*QK - s*(M - m*QK*E)) / QK
      const mqk = m * qk;
      const emqk = mulErr(m, em, qk, eqk, mqk);
      const mm = mqk * E;
      const emm = mulErr(mqk, emqk, E, eE, mm);
      const free = M + -mm;
      const efree = addErr(eM, emm, free);
      num = eqkV + -s * free;
      enm = addErr(eqkE, efree, num);
      den = qk;
      eden = eqk;
    } else {
      // (E*QK - s*M) / (QK*(1 - s*m))
      num = bn;
      enm = ebn;
      const f = 1 + -s * m;
      const ef = addErr(0, em, f);
      den = qk * f;
      eden = mulErr(qk, eqk, f, ef, den);
    }
  } else if (!ctx.markConvention) {
    // QK*E / (QK + s*(M*E - m*QK))
    num = eqkV;
    enm = eqkE;
    const mqk = m * qk;
    const emqk = mulErr(m, em, qk, eqk, mqk);
    const free = meV + -mqk;
    const efree = addErr(meE, emqk, free);
    den = qk + s * free;
    eden = addErr(eqk, efree, den);
  } else {
    // (1 + s*m)*QK*E / (QK + s*M*E)
    const f = 1 + s * m;
    const ef = addErr(0, em, f);
    const fqk = f * qk;
    const efqk = mulErr(f, ef, qk, eqk, fqk);
    num = fqk * E;
    enm = mulErr(fqk, efqk, E, eE, num);
    den = bd;
    eden = ebd;
  }
  const nS = sign(num, enm);
  const dS = sign(den, eden);
  if (nS === UNDECIDED || dS === UNDECIDED) return UNDECIDED_TICKS;
  if (nS === NOT_POSITIVE || dS === NOT_POSITIVE) return NaN;

  // Ticks: num / den / tick, rounded toward earlier liquidation (a long's up, a short's down), as liquidationPrice.
  const k = roundedTicks(ctx, s, num, enm, den, eden);
  if (k === UNDECIDED_TICKS) return k;
  return k > 0 ? k : NaN;
}
