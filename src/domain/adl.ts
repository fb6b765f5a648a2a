/**
 * ADL planning end to end for one bankrupt position: choose the ADL price, rank the opposite side lazily, and walk
 * the queue (fills.ts). Shared by POST /v1/adl/fills and the liquidation waterfall. Plain data in, result out.
 *
 * Price rules: "bankruptcy" (default; BitMEX, Binance, Bybit, Gate, dYdX) fills at the liquidated position's
 * bankruptcy price on the tick grid in the fund's favour; "mark" (Hyperliquid, OKX) fills at the mark price.
 * When the caller gives only { side, size, bankruptcyPrice }, that price is used as given.
 *
 * Policies (policies/index.ts): "queue" (default) walks the side ranked by `method`; "pro-rata", "capped-pro-rata"
 * and "leverage-draining" allocate over the whole side at once and then look at every counterparty.
 */
import { Decimal, parsePositive } from "./decimal";
import { type FillPlan, planFills } from "./fills";
import { parseMarket, parseSize, type ParsedMarket } from "./market";
import { DEFAULT_POLICY, parseCounterparties, planAllocation, type PolicyName } from "./policies";
import { bankruptcyPrice, parsePosition, type ParsedPosition } from "./position";
import { prepareBatch, sideQueue } from "./ranking/rank";
import { lazyQueue } from "./ranking/queue";
import type { RankingMethod } from "./ranking/methods";
import { DomainError, type DomainIssue, type Market, type PositionInput, type Side } from "./types";

export const PRICE_RULES = ["bankruptcy", "mark"] as const;
export type PriceRule = (typeof PRICE_RULES)[number];

export type LiquidatedInput =
  | { accountId: string; side: Side; size: string; entryPrice: string; margin: string }
  | { accountId?: string; side: Side; size: string; bankruptcyPrice: string };

export interface AdlRequest {
  market: Market;
  markPrice: string;
  /** Ranking of the queue; required for policy "queue", ignored by the others. */
  method?: RankingMethod;
  /** How the quantity is shared among the opposite side; default "queue". */
  policy?: PolicyName;
  priceRule?: PriceRule;
  liquidated: LiquidatedInput;
  /** Contracts to deleverage; default the liquidated size. */
  quantity?: string;
  counterparties: readonly PositionInput[];
  seed?: string;
}

export interface AdlPlan extends FillPlan {
  /** The liquidated position's bankruptcy price on the tick grid (given or computed). */
  bankruptcyPrice: string;
  /** Counterparties the walk reached (k of n): the cost of planning grows with k, not with a full sort. */
  queueReached: number;
}

/** The bankrupt position's side, size and bankruptcy price on the tick grid (given, or computed in the fund's favour). */
export interface ResolvedLiquidated {
  side: Side;
  accountId: string | undefined;
  size: Decimal;
  bankruptcyPrice: Decimal;
}

export function resolveLiquidated(market: ParsedMarket, liq: LiquidatedInput, pointer = "/liquidated"): ResolvedLiquidated {
  if ("bankruptcyPrice" in liq) {
    return {
      side: liq.side,
      accountId: liq.accountId,
      bankruptcyPrice: parsePositive(liq.bankruptcyPrice, `${pointer}/bankruptcyPrice`, market.tickDecimals),
      size: parseSize(market, liq.size, `${pointer}/size`),
    };
  }
  const pos = parsePosition(liq as PositionInput, market, pointer);
  return { side: liq.side, accountId: liq.accountId, bankruptcyPrice: bankruptcyPrice(market, pos), size: pos.size };
}

export function planAdl(req: AdlRequest): AdlPlan {
  const market = parseMarket(req.market);
  const mark = parsePositive(req.markPrice, "/markPrice", market.tickDecimals);
  const liq = req.liquidated;
  const resolved = resolveLiquidated(market, liq);
  const bp = resolved.bankruptcyPrice.toFixed();
  const size = resolved.size.toFixed();
  const quantity = req.quantity ?? size;
  const q = parseSize(market, quantity, "/quantity");
  if (q.gt(size)) throw new DomainError([{ pointer: "/quantity", code: "exceeds_position", message: `must not exceed the liquidated size ${size}` }]);

  const opposite: Side = liq.side === "long" ? "short" : "long";
  const price = (req.priceRule ?? "bankruptcy") === "mark" ? mark.toFixed() : bp;
  const pricePointer = req.priceRule === "mark" ? "/markPrice" : "/liquidated/bankruptcyPrice";
  const policy = req.policy ?? DEFAULT_POLICY;
  if (policy !== "queue") {
    const counterparties = parseCounterparties(market, req.counterparties, opposite, new Set(liq.accountId === undefined ? [] : [liq.accountId]));
    // q is a parsed lot multiple and price a parsed (or computed, on-grid) price: nothing left for planFills to check.
    const plan = planAllocation(policy, { market, liquidatedSide: liq.side, quantity: q, price: new Decimal(price), mark, counterparties });
    return { ...plan, bankruptcyPrice: bp, queueReached: counterparties.length };
  }
  const method = req.method;
  if (method === undefined) throw new DomainError([{ pointer: "/method", code: "method_required", message: "policy \"queue\" needs a ranking method" }]);

  const issues: DomainIssue[] = [];
  req.counterparties.forEach((c, i) => {
    if (c.side !== opposite && issues.length < 50) {
      issues.push({ pointer: `/counterparties/${i}/side`, code: "wrong_side", message: `a counterparty of a liquidated ${liq.side} must be ${opposite}` });
    }
    if (liq.accountId !== undefined && c.accountId === liq.accountId && issues.length < 50) {
      issues.push({ pointer: `/counterparties/${i}/accountId`, code: "self_counterparty", message: "the liquidated account cannot be its own counterparty" });
    }
  });
  if (issues.length > 0) throw new DomainError(issues);

  const batch = prepareBatch(req.market, req.markPrice, method, req.counterparties, req.seed, "/counterparties");
  const indices = opposite === "long" ? batch.keys.longs : batch.keys.shorts;
  const order: Iterable<number> = method === "random" ? sideQueue(batch, opposite) : lazyQueue(indices, batch.compare);
  let reached = 0;
  const queue = parsedLazily(order, req.counterparties, market, () => reached++);
  const plan = planFills({
    market,
    liquidatedSide: liq.side,
    quantity: q,
    price,
    queue,
    pointers: { quantity: "/quantity", price: pricePointer },
  });
  return { ...plan, bankruptcyPrice: bp, queueReached: reached };
}

function* parsedLazily(order: Iterable<number>, positions: readonly PositionInput[], market: ParsedMarket, onPull: () => void): Generator<ParsedPosition> {
  for (const i of order) {
    onPull();
    yield parsePosition(positions[i]!, market, `/counterparties/${i}`);
  }
}
