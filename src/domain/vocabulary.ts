/**
 * The named options every layer shares, each declared once: the zod schemas (src/http/schemas), the domain and the
 * docs import these lists, so a convention is added or renamed in this file and nowhere else. Plain data, no I/O.
 *
 * Lists that belong to one concept are declared once beside it and imported the same way: ranking methods
 * (ranking/spec/methods.ts), ADL policies and the default policy (policies/index.ts), compare candidates
 * (policies/compare.ts), indicator conventions and weightings (indicators.ts), PnL ratio bases (position.ts),
 * webhook event types (webhooks/events.ts).
 */

/** Position side (domain.md section 1). */
export const SIDES = ["long", "short"] as const;
export type Side = (typeof SIDES)[number];

/** `s` of domain.md: +1 long, -1 short. */
export type Sign = 1 | -1;

/** The side's sign `s`, the one place a side becomes +1 or -1. */
export function sideSign(side: Side): Sign {
  return side === "long" ? 1 : -1;
}

/** The side ADL closes a `side` position against (domain.md section 4: the opposite side is the queue). */
export function oppositeSide(side: Side): Side {
  return side === "long" ? "short" : "long";
}

/** linear: quote-margined, notional Q*K*P; inverse: coin-margined with a USD face value, notional Q*K/P. */
export const CONTRACT_TYPES = ["linear", "inverse"] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

/**
 * The price ADL fills at (domain.md section 3, step 4): "bankruptcy", the liquidated position's bankruptcy price on
 * the tick grid in the fund's favour (BitMEX, Binance, Bybit, Bitget, Gate, dYdX); or "mark" (Hyperliquid, OKX).
 */
export const ADL_PRICE_RULES = ["bankruptcy", "mark"] as const;
export type AdlPriceRule = (typeof ADL_PRICE_RULES)[number];
export const DEFAULT_ADL_PRICE_RULE: AdlPriceRule = "bankruptcy";

/**
 * Where maintenance margin is measured for the liquidation price (domain.md section 2): "entry" (Bybit USDT,
 * MM = m*Q*K*E; the default, the rule of Bybit's worked example) or "mark" (MM measured at the liquidation price).
 */
export const LIQUIDATION_CONVENTIONS = ["entry", "mark"] as const;
export type LiquidationConvention = (typeof LIQUIDATION_CONVENTIONS)[number];
export const DEFAULT_LIQUIDATION_CONVENTION: LiquidationConvention = "entry";
