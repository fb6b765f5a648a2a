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
import { type Decimal, checkWireLimits, parsePositive } from "./num/decimal";
import { type AdlFills, type FillPlan, walkQueue } from "./fills";
import { fillsToWireFast } from "./fast/fills";
import { parseMarket, parseSize, type ParsedMarket } from "./market";
import { DEFAULT_POLICY, parseCounterparties, planAllocation, type PolicyName } from "./policies";
import { bankruptcyPrice, parsePosition, type ParsedPosition } from "./position";
import { type PreparedBatch, prepareBatch, sideQueue } from "./ranking/rank";
import { lazyQueue } from "./ranking/queue";
import { positionValues } from "./ranking/spec/batch";
import type { RankingMethod } from "./ranking/spec/methods";
import { DomainError, type DomainIssue, type Market, type PositionInput, type Side } from "./types";
import { type AdlPriceRule, DEFAULT_ADL_PRICE_RULE, oppositeSide } from "./vocabulary";

/** The ADL price rule (declared once in vocabulary.ts). */
export type PriceRule = AdlPriceRule;

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
  const { bankruptcyPrice: bp, size } = resolveLiquidated(market, liq);
  // Without a quantity the whole size is deleveraged: resolveLiquidated has already checked it is a lot multiple.
  const q = req.quantity === undefined ? size : parseSize(market, req.quantity, "/quantity");
  if (q.gt(size)) throw new DomainError([{ pointer: "/quantity", code: "exceeds_position", message: `must not exceed the liquidated size ${size.toFixed()}` }]);

  const price = (req.priceRule ?? DEFAULT_ADL_PRICE_RULE) === "mark" ? mark : bp;
  const pricePointer = req.priceRule === "mark" ? "/markPrice" : "/liquidated/bankruptcyPrice";
  const opposite = prepareOpposite({
    market,
    mark,
    liquidatedSide: liq.side,
    liquidatedAccountId: liq.accountId,
    policy: req.policy ?? DEFAULT_POLICY,
    method: req.method,
    seed: req.seed,
    counterparties: req.counterparties,
  });
  const { queueReached, ...plan } = deleverage(opposite, q, price, pricePointer);
  // The plan written once, here, for /v1/adl/fills (key order is the response's: the plan, queueReached, bankruptcyPrice).
  return { ...fillsToWireFast(plan), queueReached, bankruptcyPrice: bp.toFixed() };
}

/** The opposite side, validated once and ready to be walked (queue) or allocated over (the other policies). */
export type PreparedOpposite =
  | { kind: "queue"; market: ParsedMarket; liquidatedSide: Side; method: RankingMethod; batch: PreparedBatch; counterparties: readonly PositionInput[] }
  | { kind: "allocation"; market: ParsedMarket; liquidatedSide: Side; policy: Exclude<PolicyName, "queue">; mark: Decimal; counterparties: ParsedPosition[] };

export interface OppositeInput {
  market: ParsedMarket;
  mark: Decimal;
  liquidatedSide: Side;
  liquidatedAccountId: string | undefined;
  policy: PolicyName;
  method: RankingMethod | undefined;
  seed: string | undefined;
  counterparties: readonly PositionInput[];
}

/**
 * Validates every counterparty (side, not the bankrupt account itself, each field) and prepares the side: ranking
 * keys for the queue, parsed positions for an allocating policy. Refuses with every bad field's pointer.
 */
export function prepareOpposite(input: OppositeInput): PreparedOpposite {
  const { market, liquidatedSide } = input;
  const opposite: Side = oppositeSide(liquidatedSide);
  if (input.policy !== "queue") {
    const self = new Set(input.liquidatedAccountId === undefined ? [] : [input.liquidatedAccountId]);
    const counterparties = parseCounterparties(market, input.counterparties, opposite, self);
    return { kind: "allocation", market, liquidatedSide, policy: input.policy, mark: input.mark, counterparties };
  }
  const method = input.method;
  if (method === undefined) throw new DomainError([{ pointer: "/method", code: "method_required", message: "policy \"queue\" needs a ranking method" }]);

  const issues: DomainIssue[] = [];
  input.counterparties.forEach((c, i) => {
    if (c.side !== opposite && issues.length < 50) {
      issues.push({ pointer: `/counterparties/${i}/side`, code: "wrong_side", message: `a counterparty of a liquidated ${liquidatedSide} must be ${opposite}` });
    }
    if (input.liquidatedAccountId !== undefined && c.accountId === input.liquidatedAccountId && issues.length < 50) {
      issues.push({ pointer: `/counterparties/${i}/accountId`, code: "self_counterparty", message: "the liquidated account cannot be its own counterparty" });
    }
  });
  if (issues.length > 0) throw new DomainError(issues);
  const batch = prepareBatch(market, input.mark, method, input.counterparties, input.seed, "/counterparties");
  return { kind: "queue", market, liquidatedSide, method, batch, counterparties: input.counterparties };
}

/**
 * Deleverages `quantity` (> 0, a lot multiple) at `price` against a prepared side: the queue is ranked lazily and
 * walked (O(n + k log n) for k counterparties reached), an allocating policy shares it over the whole side.
 */
export function deleverage(opposite: PreparedOpposite, quantity: Decimal, price: Decimal, pricePointer: string): AdlFills & { queueReached: number } {
  const { market, liquidatedSide } = opposite;
  if (opposite.kind === "allocation") {
    // quantity is a parsed lot multiple and price a parsed (or computed, on-grid) price: nothing left to check.
    const plan = planAllocation(opposite.policy, { market, liquidatedSide, quantity, price, mark: opposite.mark, counterparties: opposite.counterparties });
    return { ...plan, queueReached: opposite.counterparties.length };
  }
  const side: Side = oppositeSide(liquidatedSide);
  const batch = opposite.batch;
  const indices = side === "long" ? batch.keys.longs : batch.keys.shorts;
  const order: Iterable<number> = opposite.method === "random" ? sideQueue(batch, side) : lazyQueue(indices, batch.compare);
  let reached = 0;
  const queue = parsedLazily(order, opposite.counterparties, market, () => reached++);
  const plan = planOnQueue(market, liquidatedSide, quantity, price, queue, { quantity: "/quantity", price: pricePointer });
  return { ...plan, queueReached: reached };
}

/**
 * Walks an already ordered queue (rank 1 first), for callers that keep the opposite side's order themselves across
 * events (batch liquidations): the same greedy walk the queue policy runs. The price is a parsed or computed (on
 * the tick grid) Decimal; every fill quotes it, so it is held to the wire's length and digit limits (a bankruptcy
 * price of 10^40 or more is refused, with the price's pointer, as it was when the walk took it as a string).
 */
export function planOnQueue(
  market: ParsedMarket,
  liquidatedSide: Side,
  quantity: Decimal,
  price: Decimal,
  queue: Iterable<ParsedPosition>,
  pointers: { quantity?: string; price?: string } = {},
): AdlFills {
  checkWireLimits(price, pointers.price ?? "/price");
  return walkQueue({ market, liquidatedSide, quantity, price, queue, pointers });
}

/**
 * The reached counterparties as the walk reads them, converted from the strings prepareBatch checked (the wire rule
 * and the batch's rules, ranking/spec/batch.ts): not validated again. For every batch prepareBatch accepts they
 * equal parsePosition's, field for field (test/domain/walk-positions.property.test.ts).
 */
function* parsedLazily(order: Iterable<number>, positions: readonly PositionInput[], market: ParsedMarket, onPull: () => void): Generator<ParsedPosition> {
  for (const i of order) {
    onPull();
    yield positionValues(market, positions[i]!, `/counterparties/${i}`);
  }
}
