/**
 * Acceleration of step 0 of a simulated liquidation (parseLiquidationRequest, src/domain/liquidation/request.ts):
 * the ParsedLiquidation the route's parse would produce from the request the simulator exports, built from values
 * the simulator already holds instead of re-reading its own strings.
 *
 * Why it is the same value: the exported request carries the liquidated position's own strings (validated once by
 * prepareBook, or produced on the grid by a deleveraging reduction), a mark and an execution price that are whole
 * ticks (exact: tick x an integer, > 0), and one execution of the whole size. parseLiquidation turns those strings
 * into the same decimals, and computes the bankruptcy price with bankruptcyPrice() on the same position: so does
 * this file (pointer "/liquidated" included, so a refusal would read the same). The position's part (size, entry,
 * margin, bankruptcy price) depends on nothing else, so it is computed once per position and reused by every path,
 * policy and event that liquidates it.
 * Proven equal by test/domain/simulation-fast.property.test.ts (every event of random runs against
 * parseLiquidationRequest of its exported request, and whole runs against the exact engine, byte for byte).
 * Plain data in, result out; no I/O, no clock.
 */
import type { Decimal } from "../../num/decimal";
import { bankruptcyPrice } from "../../bankruptcy-price";
import type { FundConfig } from "../../fund/config";
import type { ParsedLiquidation } from "../../fund/waterfall";
import type { ParsedPosition } from "../../position";

/** What ParsedLiquidation takes from the liquidated position alone. */
export type LiquidatedPart = Pick<ParsedLiquidation, "sign" | "side" | "size" | "entryPrice" | "margin" | "bankruptcyPrice">;

/**
 * `bpTicks`: the bankruptcy price in ticks when fast/liquidation-ticks.ts decided it (tick x bpTicks is the value
 * bankruptcyPrice() rounds to), NaN to run bankruptcyPrice() itself.
 */
export function liquidatedPart(config: FundConfig, pos: ParsedPosition, bpTicks = NaN, tick?: Decimal): LiquidatedPart {
  const m = config.market;
  const { sign, side, size, entryPrice, margin } = pos;
  if (!Number.isNaN(bpTicks) && tick) return { sign, side, size, entryPrice, margin, bankruptcyPrice: tick.times(bpTicks) };
  // The position exactly as parseLiquidation builds it for bankruptcyPrice().
  const position = { pointer: "/liquidated", accountId: pos.accountId, side, sign, size, entryPrice, margin, accountValue: null, qk: size.times(m.contractSize) };
  return { sign, side, size, entryPrice, margin, bankruptcyPrice: bankruptcyPrice(m, position) };
}

/** The parse of a request closing the whole position at `execution`, with mark `mark` and fee rate `feeRate`. */
export function parsedLiquidation(part: LiquidatedPart, mark: Decimal, execution: Decimal, feeRate: Decimal | null): ParsedLiquidation {
  return { sign: part.sign, side: part.side, markPrice: mark, size: part.size, entryPrice: part.entryPrice, margin: part.margin, feeRate, executions: [{ quantity: part.size, price: execution }], bankruptcyPrice: part.bankruptcyPrice };
}
