/**
 * ADL fills (domain.md section 5): the liquidated quantity is matched against the opposite side's queue, greedily,
 * at one price. Plain data in, result out; no I/O, no clock.
 *
 * The queue is consumed lazily: the ranking module hands a heap-backed iterator, so reaching k of n counterparties
 * costs O(n + k log n) instead of a full sort. walkQueue pulls exactly one entry per fill and stops as soon as the
 * quantity is filled; entries it never pulls are never inspected (their validation is the ranking's job).
 */
import { type Decimal, amountToWire, toWire } from "./num/decimal";
import { fail } from "./fields";
import { type ParsedMarket, checkLotMultiple, lotsOf, parsePrice, parseSize } from "./market";
import { type ParsedPosition, pnlAt } from "./position";
// lotsOf(market, c.size), read from the wire string when the position has one (no Decimal for the size).
import { heldLots } from "./fast/parsed-position";
import type { Side } from "./types";

/**
 * Exact PnL of closing `quantity` contracts of a position (side sign s, entry E) at `price` x:
 * linear s*q*K*(x - E); inverse s*q*K*(1/E - 1/x) = s*q*K*(x - E)/(E*x) (one division). Used for the
 * counterparties' realised PnL and for the bankrupt side's, so conservation tests compare like with like.
 */
export function closePnl(market: ParsedMarket, sign: 1 | -1, entryPrice: Decimal, quantity: Decimal, price: Decimal): Decimal {
  return pnlAt(market, sign, entryPrice, quantity.times(market.contractSize), price);
}

export interface BankruptSettlement {
  /** The bankrupt position's exact PnL on the closed quantity at the ADL price. */
  pnl: Decimal;
  /** The margin backing the closed quantity: M*q/Q. */
  marginShare: Decimal;
  /**
   * marginShare + pnl. >= 0: margin left over after the loss (at the fund-favouring rounded BP, at most one tick's
   * worth, which goes to the fund). < 0: loss beyond the margin that the fund or socialisation must cover, e.g. when
   * ADL fills at mark past BP. Equals domain.md section 3's fund change s*q*K*(x - BP) (linear) or
   * s*q*K*(1/BP - 1/x) (inverse).
   */
  difference: Decimal;
}

/** What closing `quantity` of the bankrupt position at `price` does to its margin (exact; see BankruptSettlement). */
export function bankruptSettlement(
  market: ParsedMarket,
  bankrupt: ParsedPosition,
  quantity: Decimal,
  price: Decimal,
): BankruptSettlement {
  const pnl = closePnl(market, bankrupt.sign, bankrupt.entryPrice, quantity, price);
  const marginShare = bankrupt.margin.times(quantity).div(bankrupt.size);
  return { pnl, marginShare, difference: marginShare.plus(pnl) };
}

/** One fill on the wire (the /v1/adl/fills body; fillToWire writes it from a PlannedFill). */
export interface Fill {
  accountId: string;
  quantity: string;
  price: string;
  /** The counterparty's realised PnL on `quantity` at `price`, rounded down (toward -infinity) at AMOUNT_DP. */
  realizedPnl: string;
  /** What stays open: size - quantity. */
  remainingSize: string;
}

/** An ADL plan on the wire (the /v1/adl/fills body; fillsToWire writes it from AdlFills). */
export interface FillPlan {
  price: string;
  fills: Fill[];
  filledQuantity: string;
  /** What the queue could not absorb: a socialised loss to report, never hide (domain.md section 3, step 5). */
  unfilledQuantity: string;
}

/**
 * One fill as the domain decides it: the counterparty as the walk or the policy saw it, and the whole lots it closes
 * (> 0) out of the lots it held. Its quantity is lots * lotSize, what stays open (held - lots) * lotSize, its realised
 * PnL closePnl at the plan's price (fillPnl), rounded down on the wire (fillToWire).
 */
export interface PlannedFill {
  counterparty: ParsedPosition;
  lots: bigint;
  heldLots: bigint;
}

/**
 * An ADL plan in parsed values, as the queue walk (walkQueue) and the allocating policies (policies/) decide it:
 * the one price, the fills in order, and what was filled and what the side could not absorb (exact quantities,
 * lot multiples; filled + unfilled = the quantity handed over). Nothing reads it back from strings: the wire form is
 * written once, at the edge, by fillsToWire (served by its acceleration, fast/fills.ts).
 */
export interface AdlFills {
  /** The market whose lots the fills count. */
  market: ParsedMarket;
  price: Decimal;
  fills: PlannedFill[];
  filledQuantity: Decimal;
  unfilledQuantity: Decimal;
}

/** A fill's quantity in contracts: its lots times the lot size (exact). */
export function fillQuantity(market: ParsedMarket, f: PlannedFill): Decimal {
  return market.lotSize.times(f.lots.toString());
}

export interface FillRequest {
  market: ParsedMarket;
  /** Side of the liquidated (bankrupt) position; counterparties hold the other side. */
  liquidatedSide: Side;
  /** Contracts to deleverage: > 0, a lot multiple. */
  quantity: string | Decimal;
  /** The ADL price (normally the rounded bankruptcy price, or mark): > 0, within the tick's decimals. */
  price: string | Decimal;
  /** Opposite-side positions in ADL order, rank 1 first; consumed lazily. */
  queue: Iterable<ParsedPosition>;
  /** Where quantity and price sit in the request, for errors. */
  pointers?: { quantity?: string; price?: string };
}

function checkedQuantity(market: ParsedMarket, value: string | Decimal, pointer: string): Decimal {
  if (typeof value === "string") return parseSize(market, value, pointer);
  if (value.lte(0)) fail(pointer, "not_positive", "must be greater than 0");
  return checkLotMultiple(market, value, pointer);
}

function checkedPrice(market: ParsedMarket, value: string | Decimal, pointer: string): Decimal {
  if (typeof value === "string") return parsePrice(market, value, pointer);
  if (value.lte(0)) fail(pointer, "not_positive", "must be greater than 0");
  if (value.decimalPlaces() > market.tickDecimals) {
    fail(pointer, "too_many_decimals", `at most ${market.tickDecimals} decimal places allowed`);
  }
  return value;
}

/**
 * Greedy walk down the queue: each counterparty absorbs min(remaining, its size) at `price`; a partially hit
 * position stays open with the rest. Quantities are whole lots, so they need no rounding: the minimum of two lot
 * counts is one. Throws a DomainError pointing at a pulled counterparty on the liquidated side (`wrong_side`) or at
 * the second pull of an account already seen (`duplicate_account`).
 */
export function walkQueue(req: FillRequest): AdlFills {
  const { market, liquidatedSide, queue } = req;
  const quantity = checkedQuantity(market, req.quantity, req.pointers?.quantity ?? "/quantity");
  const price = checkedPrice(market, req.price, req.pointers?.price ?? "/price");
  const seen = new Set<string>();
  const fills: PlannedFill[] = [];
  const requested = lotsOf(market, quantity);
  let remaining = requested;

  const it = queue[Symbol.iterator]();
  let exhausted = false;
  try {
    while (remaining > 0n) {
      const next = it.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const c = next.value;
      if (c.side === liquidatedSide) {
        fail(`${c.pointer}/side`, "wrong_side", `a counterparty must hold the side opposite the liquidated ${liquidatedSide}`);
      }
      if (seen.has(c.accountId)) fail(`${c.pointer}/accountId`, "duplicate_account", "account already in the queue");
      seen.add(c.accountId);

      const held = heldLots(market, c);
      const lots = remaining < held ? remaining : held;
      remaining -= lots;
      fills.push({ counterparty: c, lots, heldLots: held });
    }
  } finally {
    // Let a generator-backed queue release what it holds when we stop before its end.
    if (!exhausted) it.return?.();
  }

  const filled = market.lotSize.times((requested - remaining).toString());
  return { market, price, fills, filledQuantity: filled, unfilledQuantity: quantity.minus(filled) };
}

/*
 * The plan as decimal strings (the /v1/adl/fills body, the fills of a liquidation's response and record, the compare
 * route's events): the specification of how a PlannedFill is written. The service writes the same strings from
 * scaled integers (fast/fills.ts, proven equal by test/domain/fills-wire.property.test.ts).
 *
 * Rounding: a fill's realised PnL is the one value computed on the way. It is closePnl at the plan's price, rounded
 * DOWN (toward -infinity) at AMOUNT_DP: the service never credits a counterparty more than its exact PnL, nor debits
 * less than its exact loss; the sub-unit remainder stays with the bankrupt side's settlement. Quantities are lot
 * multiples and the price is on the tick grid or the request's: `toWire` only writes their digits.
 */

/** A fill's realised PnL at `price`, exact (before the wire's rounding down). */
export function fillPnl(market: ParsedMarket, f: PlannedFill, price: Decimal): Decimal {
  const c = f.counterparty;
  return closePnl(market, c.sign, c.entryPrice, fillQuantity(market, f), price);
}

export function fillToWire(market: ParsedMarket, f: PlannedFill, price: Decimal, priceWire = toWire(price)): Fill {
  return {
    accountId: f.counterparty.accountId,
    quantity: toWire(fillQuantity(market, f)),
    price: priceWire,
    realizedPnl: amountToWire(fillPnl(market, f, price), "down"),
    remainingSize: toWire(market.lotSize.times((f.heldLots - f.lots).toString())),
  };
}

export function fillsToWire(plan: AdlFills): FillPlan {
  const { market } = plan;
  const priceWire = toWire(plan.price);
  return {
    price: priceWire,
    fills: plan.fills.map((f) => fillToWire(market, f, plan.price, priceWire)),
    filledQuantity: toWire(plan.filledQuantity),
    unfilledQuantity: toWire(plan.unfilledQuantity),
  };
}
