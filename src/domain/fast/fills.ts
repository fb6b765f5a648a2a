/**
 * The acceleration of fills.ts `fillsToWire`: the same strings from scaled integers (policies/fast/scaled.ts
 * PnlWriter: a fill's realised PnL rounded down at AMOUNT_DP, its sizes from the lot count) instead of decimal
 * objects, which matters when a policy fills every one of 100,000 counterparties. A fill whose entry price has more
 * decimals than the price grid (never from a validated position) is written by the specification.
 * Proven equal to fillsToWire by test/domain/fills-wire.property.test.ts. Plain data in, result out.
 */
import { toWire } from "../num/decimal";
import { type AdlFills, type Fill, type FillPlan, fillToWire } from "../fills";
import { PnlWriter } from "../policies/fast/scaled";
import { entryString } from "./parsed-position";

const SAFE = 2n ** 53n;

export function fillsToWireFast(plan: AdlFills): FillPlan {
  const { market } = plan;
  const priceWire = toWire(plan.price);
  const w = new PnlWriter(market, plan.price);
  const fills = new Array<Fill>(plan.fills.length);
  for (let j = 0; j < plan.fills.length; j++) {
    const f = plan.fills[j]!;
    const c = f.counterparty;
    const entry = entryString(c);
    if (!w.fits(entry)) {
      fills[j] = fillToWire(market, f, plan.price, priceWire);
      continue;
    }
    // Safe-integer lot counts in doubles (no BigInt arithmetic per fill), else BigInt.
    const safe = f.heldLots < SAFE && f.lots >= 0n;
    fills[j] = {
      accountId: c.accountId,
      quantity: w.size(safe ? Number(f.lots) : f.lots),
      price: priceWire,
      realizedPnl: w.pnl(c.sign, entry, f.lots),
      remainingSize: w.size(safe ? Number(f.heldLots) - Number(f.lots) : f.heldLots - f.lots),
    };
  }
  return { price: priceWire, fills, filledQuantity: toWire(plan.filledQuantity), unfilledQuantity: toWire(plan.unfilledQuantity) };
}
