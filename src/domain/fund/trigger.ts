/**
 * When may the fund pay, and is ADL switched on (domain.md section 3, "Trigger variants").
 * Plain data in, result out; no I/O, no clock. Comparisons are exact: the drawdown test
 * (balance - peak) / peak <= -ratio is evaluated as balance <= peak * (1 - ratio), multiplied through (peak > 0),
 * so no division and no rounding decides whether ADL starts.
 */
import { Decimal, ZERO } from "../num/decimal";
import type { FundConfig } from "./config";

export interface FundState {
  balance: Decimal;
  /** Highest balance within the rule's window, including the current balance. */
  peakBalance: Decimal;
  /** Persisted for the drawdown rule (hysteresis); derived for the floor rule. */
  adlActive: boolean;
}

/**
 * The lowest balance the fund may be drawn down to in one event: the configured floor, and for the drawdown rule also
 * peak * (1 - triggerRatio), the balance at which ADL would switch on.
 */
export function effectiveFloor(config: FundConfig, peak: Decimal): Decimal {
  if (config.trigger.rule === "floor") return config.floor;
  return Decimal.max(config.floor, peak.times(new Decimal(1).minus(config.trigger.triggerRatio)));
}

/**
 * How much the fund may pay out in one liquidation, given the balance it holds at that point (after the event's own
 * surpluses are credited): zero while ADL is active under the drawdown rule, never below the effective floor, never
 * above the per-event cap (Drift-style claim cap).
 */
export function drawCapacity(config: FundConfig, balance: Decimal, peak: Decimal, adlActive: boolean): Decimal {
  if (config.trigger.rule === "drawdown" && adlActive) return ZERO;
  let cap = Decimal.max(ZERO, balance.minus(effectiveFloor(config, peak)));
  if (config.maxDrawPerEvent) cap = Decimal.min(cap, config.maxDrawPerEvent);
  return cap;
}

/**
 * ADL state after a balance change.
 * floor rule: active exactly when the fund can pay nothing more (balance at or below the floor).
 * drawdown rule: switches on when balance <= peak * (1 - triggerRatio); once on, switches off only when
 * balance > peak * (1 - stopRatio). With no peak yet (an empty fund that never held anything) the state is unchanged.
 */
export function nextAdlActive(config: FundConfig, wasActive: boolean, balance: Decimal, peak: Decimal): boolean {
  const t = config.trigger;
  if (t.rule === "floor") return balance.lte(config.floor);
  if (peak.lte(0)) return wasActive;
  if (wasActive) return !balance.gt(peak.times(new Decimal(1).minus(t.stopRatio)));
  return balance.lte(peak.times(new Decimal(1).minus(t.triggerRatio)));
}

/** (balance - peak) / peak for display (null without a peak); the decision itself never uses this quotient. */
export function drawdownRatio(balance: Decimal, peak: Decimal): Decimal | null {
  if (peak.lte(0)) return null;
  return balance.minus(peak).div(peak);
}
