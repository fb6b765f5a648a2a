/**
 * Which batches the ranking accepts: its rules beyond each position's own shape (positive decimal strings, a side,
 * an account id), which the edge's validator checked. Part of the ranking's specification (spec/rank.ts); the float
 * keys (../fast/batch.ts) report through the same function, so the service and the specification refuse a batch
 * with the same issues in the same order. Plain data in, result out; no I/O, no clock.
 *
 *   - `random` needs a seed (its walk is drawn from it);
 *   - an account appears at most once per side;
 *   - every amount passes the domain rule parseDecimal applies beyond the wire's (num/decimal.ts plainDecimalRefusal,
 *     the same function, codes and messages): no negative zero (the wire's signed pattern accepts an account value
 *     "-0") and at most MAX_SIGNIFICANT_DIGITS significant digits (the wire's patterns let up to 80 through). Checked
 *     here for the whole batch, so a request is refused whether or not a walk reaches the position (before, only the
 *     positions a fill walk parsed were refused, and the rankings accepted them);
 *   - a size is a whole multiple of the market's lot size (market.ts isLotMultiple, parseSize's rule and words);
 *   - an entry price has at most the tick's decimal places;
 *   - an inverse short has a bankruptcy price (with margin >= size*contractSize/entryPrice the margin covers every
 *     price move and Q*K/(Q*K/E - M) is not a price). A linear long whose margin covers every move is accepted and
 *     reported with no bankruptcy price instead (bankruptcy-price.ts reportedBankruptcyPrice is null).
 */
import { hasBankruptcyPrice } from "../../bankruptcy-price";
import { Decimal, type DecimalRefusal, plainDecimalRefusal, toWire } from "../../num/decimal";
import { decimalsOf } from "../../num/digits";
import { type ParsedMarket, isLotMultiple, notLotMultiple } from "../../market";
import type { ParsedPosition } from "../../parsed-position";
import { DomainError, type DomainIssue, type PositionInput } from "../../types";
import { sideSign } from "../../vocabulary";
import type { RankingMethod } from "./methods";

/** A batch of 100,000 bad positions is refused with the first 50 issues, not 100,000. */
export const MAX_ISSUES = 50;

/** The market's grid as the issues name it: lot and tick in their canonical wire forms. */
export interface BatchGrid {
  market: ParsedMarket;
  lotSize: string;
  tickSize: string;
  tickDecimals: number;
}

export function batchGrid(market: ParsedMarket): BatchGrid {
  return { market, lotSize: toWire(market.lotSize), tickSize: market.tickSize.toFixed(), tickDecimals: market.tickDecimals };
}

export function requireSeed(method: RankingMethod, seed: string | undefined): void {
  if (method === "random" && (seed === undefined || seed.length === 0)) {
    throw new DomainError([{ pointer: "/seed", code: "seed_required", message: "method \"random\" needs a seed so the walk is deterministic" }]);
  }
}

/**
 * Which of the batch's rules a caller still needs:
 *   - "all": every rule (a batch as the wire delivered it: the rankings, /v1/adl/fills, a liquidation);
 *   - "checked": the batch is known to pass every rule that reads the strings alone, because each position passed
 *     parsePosition (or fastPosition, its acceleration) on this market and the accounts are distinct per side (the
 *     callers: compare, after parseCounterparties; the stress lab, whose book parsed every position and refused a
 *     second position of an account). What is left is what only the keys find: an inverse short without a
 *     bankruptcy price. On such a batch "all" reports exactly those issues (parsePosition refuses every position
 *     the string rules refuse: test/domain/walk-positions.property.test.ts), so "checked" gives the same refusal,
 *     without reading the strings again (test/domain/checked-batch.property.test.ts).
 */
export type BatchRules = "all" | "checked";

/**
 * Every issue of the batch in batch order (per position: duplicate account, size, entry price, bankruptcy price), at
 * most MAX_ISSUES. `lacksBankruptcyPrice(i)` says whether position i is an inverse short without one
 * (refusesNoBankruptcyPrice below; the float keys decide it from their bounds and ask that function when they cannot).
 * With rules "checked" (above) only that last rule.
 */
export function batchIssues(grid: BatchGrid, positions: readonly PositionInput[], pointerPrefix: string, lacksBankruptcyPrice: (i: number) => boolean, rules: BatchRules = "all"): DomainIssue[] {
  const issues: DomainIssue[] = [];
  const issue = (pointer: string, code: string, message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ pointer, code, message });
  };
  const refused = (i: number, field: string, r: DecimalRefusal) => issue(`${pointerPrefix}/${i}/${field}`, r.code, r.message);
  const seen = { long: new Set<string>(), short: new Set<string>() };
  const offLot = notLotMultiple(grid.lotSize);
  for (let i = 0; i < positions.length; i++) {
    if (rules === "checked") {
      if (lacksBankruptcyPrice(i)) issue(`${pointerPrefix}/${i}/margin`, NO_BANKRUPTCY_PRICE.code, NO_BANKRUPTCY_PRICE.message);
      continue;
    }
    const p = positions[i]!;
    const held = seen[p.side];
    if (held.has(p.accountId)) issue(`${pointerPrefix}/${i}/accountId`, "duplicate_account", `account ${JSON.stringify(p.accountId)} appears twice on the ${p.side} side`);
    held.add(p.accountId);
    let r = plainDecimalRefusal(p.size);
    if (r !== null) refused(i, "size", r);
    else if (!isLotMultiple(grid.market, p.size, grid.lotSize)) refused(i, "size", offLot);
    r = plainDecimalRefusal(p.entryPrice);
    if (r !== null) refused(i, "entryPrice", r);
    else if (decimalsOf(p.entryPrice) > grid.tickDecimals) issue(`${pointerPrefix}/${i}/entryPrice`, "too_many_decimals", `must have at most ${grid.tickDecimals} decimal places (tick ${grid.tickSize})`);
    r = plainDecimalRefusal(p.margin);
    if (r !== null) refused(i, "margin", r);
    if (p.accountValue !== undefined && (r = plainDecimalRefusal(p.accountValue)) !== null) refused(i, "accountValue", r);
    if (lacksBankruptcyPrice(i)) issue(`${pointerPrefix}/${i}/margin`, NO_BANKRUPTCY_PRICE.code, NO_BANKRUPTCY_PRICE.message);
  }
  return issues;
}

const NO_BANKRUPTCY_PRICE = { code: "no_bankruptcy_price", message: "an inverse short with margin >= size*contractSize/entryPrice has no bankruptcy price" };

/** The ranking refuses an inverse short without a bankruptcy price (exact: bankruptcy-price.ts). */
export function refusesNoBankruptcyPrice(market: ParsedMarket, pos: ParsedPosition): boolean {
  return market.contractType === "inverse" && pos.side === "short" && !hasBankruptcyPrice(market, pos);
}

/**
 * A position's values as the formulas read them (exact Decimals, Q*K once), converted from strings without checking
 * them. Two uses: the specification's values for every rule (batchIssues reports an off-grid size or entry price
 * beside the position's other issues instead of refusing it on the spot, so every rule sees every position); and a
 * position of a prepared batch read again (the queue walk: adl.ts, liquidation/batch.ts; the rankings' exact
 * bankruptcy-price fall-back: ../rank.ts), which the wire rule and batchIssues have checked: on every batch they
 * accept it equals parsePosition's position field for field, and every position
 * parsePosition refuses, batchIssues refuses with the same issues (test/domain/walk-positions.property.test.ts).
 * Only for batches whose shape the edge checked.
 */
export function positionValues(market: ParsedMarket, p: PositionInput, pointer: string): ParsedPosition {
  const size = new Decimal(p.size);
  return {
    pointer,
    accountId: p.accountId,
    side: p.side,
    sign: sideSign(p.side),
    size,
    entryPrice: new Decimal(p.entryPrice),
    margin: new Decimal(p.margin),
    accountValue: p.accountValue === undefined ? null : new Decimal(p.accountValue),
    qk: size.times(market.contractSize),
  };
}
