/**
 * Every bankruptcy of a tick in one call (issue 15): bankrupt positions processed in the order given, each against
 * the fund and the counterparties as the previous one left them (remaining.ts states the convention), so a winner
 * deleveraged for the first gives nothing twice. Pure: plain data in, the outcome per item and in total out.
 *
 * Equivalence (the contract, property-tested): item i is exactly the single liquidation `singleRequest(req, i, cps)`
 * where `cps` is the opposite side of the previous item's remaining positions (size > 0, request order), run on the
 * fund state the previous item left. Two ways to run it, same result:
 *   - ranked queue (policy "queue", methods bitmex/binance/hyperliquid): the counterparties are ranked once and each
 *     side is kept in a SideQueue across items; an item pops what it closes and pushes back the one it partly closes:
 *     O(n + fills * log n) for the whole batch instead of O(items * n);
 *   - random walk and the allocating policies (whose outcome depends on the whole remaining side): the side is
 *     re-prepared for every item, literally the sequence of singles, bounded by MAX_BATCH_REPLANNED_PAIRS.
 * Everything that can be refused is refused before the first item runs (every item, every counterparty, the
 * limits), with the item's index in the pointer: /liquidated/{i}/..., /liquidated/{i}/executions/{k}/...
 */
import { Decimal, ZERO, toWire } from "../num/decimal";
import { fail } from "../fields";
import type { Fill } from "../fills";
import { fillsToWireFast } from "../fast/fills";
import type { FundConfig } from "../fund/config";
import type { FundState } from "../fund/trigger";
import { type ParsedLiquidation, parseLiquidation, MAX_EXECUTIONS } from "../fund/waterfall";
import { planOnQueue, prepareOpposite } from "../adl";
import { type ParsedPosition, parsePosition } from "../position";
import { type PreparedBatch, prepareBatch } from "../ranking/rank";
import { positionValues } from "../ranking/spec/batch";
import { DomainError, type DomainIssue, type PositionInput, type Side } from "../types";
import { type LiquidationOutcome, decideFund, fundStateAfter, ledgerEntriesFor, planLiquidationAdl, settleLiquidation, type Deleverager } from "./liquidate";
import { type AdlTerms, type LiquidationRequest, adlTerms } from "./request";
import { afterFill } from "./remaining";
import { SideQueue } from "./side-queue";
import { oppositeSide } from "../vocabulary";

/** Bankrupt positions per batch (413 above). */
export const MAX_BATCH_LIQUIDATIONS = 1_000;
/** Counterparties per batch, both sides together (413 above): the engine's batch limit. */
export const MAX_BATCH_COUNTERPARTIES = 100_000;
/** Market executions over all items of a batch (413 above); each item also has MAX_EXECUTIONS. */
export const MAX_BATCH_EXECUTIONS = 100_000;
/** Bankrupt positions x counterparties on the ranked queue (422 above): 1,000 x 100,000. */
export const MAX_BATCH_PAIRS = 100_000_000;
/** Bankrupt positions x counterparties where the side is re-prepared per item (random, allocating policies; 422). */
export const MAX_BATCH_REPLANNED_PAIRS = 2_000_000;

const MAX_ISSUES = 50;

export interface BatchItem {
  accountId: string;
  side: Side;
  size: string;
  entryPrice: string;
  margin: string;
  executions: { quantity: string; price: string }[];
}

export interface BatchRequest {
  markPrice: string;
  liquidated: readonly BatchItem[];
  counterparties: readonly PositionInput[];
  method?: LiquidationRequest["method"];
  policy?: LiquidationRequest["policy"];
  priceRule?: LiquidationRequest["priceRule"];
  liquidationFeeRate?: string;
  seed?: string;
}

export interface BatchTotals {
  liquidations: number;
  fills: number;
  balanceBefore: string;
  balanceAfter: string;
  fundCredited: string;
  fundDrawn: string;
  adlQuantity: string;
  adlFilledQuantity: string;
  adlTransferred: string;
  socializedLoss: string;
  unfilledQuantity: string;
  returnedToAccount: string;
  bankruptLoss: string;
}

export interface BatchOutcome {
  items: LiquidationOutcome[];
  /** Every counterparty after the batch, request order, in the remaining.ts convention. */
  counterparties: PositionInput[];
  totals: BatchTotals;
  fundAfter: FundState;
}

/** Item i as the single route would receive it, against the given counterparties (the equivalence convention). */
export function singleRequest(req: BatchRequest, i: number, counterparties: readonly PositionInput[] | undefined): LiquidationRequest {
  const { executions, ...liquidated } = req.liquidated[i]!;
  const out: LiquidationRequest = { markPrice: req.markPrice, liquidated, executions, counterparties };
  if (req.method !== undefined) out.method = req.method;
  if (req.policy !== undefined) out.policy = req.policy;
  if (req.priceRule !== undefined) out.priceRule = req.priceRule;
  if (req.liquidationFeeRate !== undefined) out.liquidationFeeRate = req.liquidationFeeRate;
  if (req.seed !== undefined) out.seed = req.seed;
  return out;
}

/** The canonical form of a position (fixed key order), as the response lists it. */
export function canonicalPosition(p: PositionInput): PositionInput {
  const out: PositionInput = { accountId: p.accountId, side: p.side, size: p.size, entryPrice: p.entryPrice, margin: p.margin };
  if (p.accountValue !== undefined) out.accountValue = p.accountValue;
  return out;
}

/** A single request's pointer, placed at item i of the batch. */
function itemPointer(i: number, pointer: string): string {
  if (pointer.startsWith("/liquidated")) return `/liquidated/${i}${pointer.slice("/liquidated".length)}`;
  if (pointer.startsWith("/executions")) return `/liquidated/${i}${pointer}`;
  return pointer;
}

function collect(issues: DomainIssue[], fn: () => void, map: (p: string) => string = (p) => p): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    for (const x of e.issues) {
      const pointer = map(x.pointer);
      // A batch-level field (markPrice, method, ...) refused for one item is refused for all: say it once.
      if (issues.length < MAX_ISSUES && !issues.some((y) => y.pointer === pointer && y.code === x.code)) issues.push({ ...x, pointer });
    }
  }
}

function checkLimits(req: BatchRequest, replanned: boolean): void {
  const n = req.liquidated.length;
  const m = req.counterparties.length;
  if (n === 0) fail("/liquidated", "empty_batch", "at least one bankrupt position");
  if (n > MAX_BATCH_LIQUIDATIONS) fail("/liquidated", "too_many_liquidations", `at most ${MAX_BATCH_LIQUIDATIONS} bankrupt positions per batch`);
  if (m > MAX_BATCH_COUNTERPARTIES) fail("/counterparties", "too_many_counterparties", `at most ${MAX_BATCH_COUNTERPARTIES} counterparties per batch`);
  let executions = 0;
  for (const it of req.liquidated) executions += it.executions.length;
  if (executions > MAX_BATCH_EXECUTIONS) fail("/liquidated", "too_many_executions", `at most ${MAX_BATCH_EXECUTIONS} executions over the batch`);
  const limit = replanned ? MAX_BATCH_REPLANNED_PAIRS : MAX_BATCH_PAIRS;
  if (n * m > limit) {
    fail("/counterparties", "batch_too_large", `bankrupt positions x counterparties is ${n * m}; at most ${limit}${replanned ? " for the random method and the allocating policies (the side is re-prepared per item)" : ""}`);
  }
}

interface Parsed {
  items: ParsedLiquidation[];
  terms: AdlTerms;
  /** The ranked-queue fast path's preparation, or null for the re-prepared path. */
  ranked: PreparedBatch | null;
}

/** Everything that can be refused, refused before any item runs. */
function parseBatch(config: FundConfig, req: BatchRequest): Parsed {
  const terms = adlTerms(config, singleRequest(req, 0, undefined));
  const replanned = terms.policy !== "queue" || terms.method === "random";
  checkLimits(req, replanned);
  const issues: DomainIssue[] = [];
  const items: ParsedLiquidation[] = [];
  req.liquidated.forEach((_, i) => collect(issues, () => void (items[i] = parseLiquidation(config, singleRequest(req, i, undefined))), (p) => itemPointer(i, p)));

  // Accounts: bankrupt ones distinct and never counterparties; counterparties distinct per side.
  const bankrupt = new Map<string, number>();
  req.liquidated.forEach((it, i) => {
    if (bankrupt.has(it.accountId) && issues.length < MAX_ISSUES) issues.push({ pointer: `/liquidated/${i}/accountId`, code: "duplicate_account", message: `account ${JSON.stringify(it.accountId)} is already bankrupt at /liquidated/${bankrupt.get(it.accountId)}` });
    else bankrupt.set(it.accountId, i);
  });
  const seen = { long: new Set<string>(), short: new Set<string>() };
  req.counterparties.forEach((c, j) => {
    if (issues.length >= MAX_ISSUES) return;
    const b = bankrupt.get(c.accountId);
    if (b !== undefined) issues.push({ pointer: `/liquidated/${b}/accountId`, code: "self_counterparty", message: `a bankrupt account cannot be a counterparty (it is at /counterparties/${j})` });
    const side = seen[c.side];
    if (side?.has(c.accountId)) issues.push({ pointer: `/counterparties/${j}/accountId`, code: "duplicate_account", message: `account ${JSON.stringify(c.accountId)} appears twice on the ${c.side} side` });
    side?.add(c.accountId);
  });
  if (terms.policy === "queue" && terms.method === undefined) issues.push({ pointer: "/method", code: "method_required", message: "policy \"queue\" needs a ranking method" });
  if (issues.length > 0) throw new DomainError(issues);

  // Every counterparty's fields, once: the ranking keys validate them all (and the seed for random); the allocating
  // policies parse them here, since each item only parses its opposite side.
  let ranked: PreparedBatch | null = null;
  if (terms.policy === "queue") ranked = prepareBatch(config.market, items[0]!.markPrice, terms.method!, req.counterparties, terms.seed, "/counterparties");
  else req.counterparties.forEach((c, j) => collect(issues, () => void parsePosition(c, config.market, `/counterparties/${j}`)));
  if (issues.length > 0) throw new DomainError(issues);
  return { items, terms, ranked: terms.method === "random" ? null : ranked };
}


export function liquidateBatch(config: FundConfig, state: FundState, req: BatchRequest): BatchOutcome {
  const parsed = parseBatch(config, req);
  const market = config.market;
  // Every item parsed the same markPrice (parseBatch refused the batch otherwise).
  const mark = parsed.items[0]!.markPrice;
  const current: PositionInput[] = req.counterparties.map(canonicalPosition);
  const indexOf = { long: new Map<string, number>(), short: new Map<string, number>() };
  current.forEach((c, j) => indexOf[c.side].set(c.accountId, j));
  const queues: Partial<Record<Side, SideQueue>> = {};
  const queueOf = (side: Side): SideQueue => {
    const ranked = parsed.ranked!;
    return (queues[side] ??= new SideQueue(ranked, side === "long" ? ranked.keys.longs : ranked.keys.shorts, (i) => current[i]!));
  };

  const items: LiquidationOutcome[] = [];
  let s = state;
  for (let i = 0; i < parsed.items.length; i++) {
    const liq = parsed.items[i]!;
    const side = oppositeSide(liq.side);
    let adlSide: Deleverager;
    if (parsed.ranked) {
      // Ranked queue kept across items: pop what the walk pulls; walkQueue pulls exactly one entry per fill.
      const queue = queueOf(side);
      const pulled: number[] = [];
      adlSide = (quantity, price, pricePointer) => {
        const walk = (function* () {
          for (let j = queue.pop(); j !== undefined; j = queue.pop()) {
            pulled.push(j);
            yield reached(market, queue, current[j]!, j);
          }
        })();
        const plan = planOnQueue(market, liq.side, quantity, price, walk, { quantity: "/quantity", price: pricePointer });
        return { ...plan, queueReached: pulled.length };
      };
      const outcome = runItem(config, s, liq, parsed.terms, req.liquidated[i]!.accountId, adlSide);
      const fills = reportedFills(outcome);
      if (fills.length !== pulled.length) throw new Error("batch: the walk pulled a position it did not fill");
      fills.forEach((f, k) => {
        const j = pulled[k]!;
        current[j] = afterFill(market, config.amountDecimals, mark, current[j]!, f);
        if (current[j]!.size !== "0") queue.pushChanged(j);
      });
      items.push(outcome);
      s = outcome.fundAfter;
    } else {
      // Re-prepared per item: exactly the single call against the remaining opposite side.
      const remaining: number[] = [];
      current.forEach((c, j) => c.side === side && c.size !== "0" && remaining.push(j));
      const prepared = prepareOpposite({
        market,
        mark: liq.markPrice,
        liquidatedSide: liq.side,
        liquidatedAccountId: req.liquidated[i]!.accountId,
        policy: parsed.terms.policy,
        method: parsed.terms.method,
        seed: parsed.terms.seed,
        counterparties: remaining.map((j) => current[j]!),
      });
      const outcome = runItem(config, s, liq, parsed.terms, req.liquidated[i]!.accountId, prepared);
      for (const f of reportedFills(outcome)) {
        const j = indexOf[side].get(f.accountId)!;
        current[j] = afterFill(market, config.amountDecimals, mark, current[j]!, f);
      }
      items.push(outcome);
      s = outcome.fundAfter;
    }
  }
  return { items, counterparties: current, totals: totalsOf(state, s, items), fundAfter: s };
}

/**
 * An item's fills as its response reports them (fast/fills.ts, the writer outcomeToWire uses): the remaining
 * counterparties are the reported positions with the reported fills applied (remaining.ts), as an exchange applies them.
 */
function reportedFills(outcome: LiquidationOutcome): Fill[] {
  return outcome.adl.plan === null ? [] : fillsToWireFast(outcome.adl.plan).fills;
}

/**
 * A counterparty the ranked walk reaches. Untouched, it is the request's position as prepareBatch checked it (the
 * wire rule and the batch's rules), converted without validating again (ranking/spec/batch.ts positionValues). Once
 * a fill changed it, it is the position remaining.ts computed, which no validator has seen: parsePosition checks it
 * when a walk reaches it (a remaining size, margin or account value beyond the digit limit is refused there).
 */
function reached(market: FundConfig["market"], queue: SideQueue, position: PositionInput, j: number): ParsedPosition {
  const pointer = `/counterparties/${j}`;
  return queue.changed(j) ? parsePosition(position, market, pointer) : positionValues(market, position, pointer);
}

function runItem(config: FundConfig, state: FundState, liq: ParsedLiquidation, terms: AdlTerms, accountId: string, adl: Parameters<typeof planLiquidationAdl>[3]): LiquidationOutcome {
  const decision = decideFund(config, state, liq);
  const plan = planLiquidationAdl(liq, terms, decision, adl);
  const settlement = settleLiquidation(config, liq, decision, plan);
  return { accountId, decision, adl: plan, settlement, entries: ledgerEntriesFor(decision, accountId), fundAfter: fundStateAfter(state, decision) };
}

/** Sums over the items, with the batch's conservation identity and balance chain checked. */
function totalsOf(before: FundState, after: FundState, items: readonly LiquidationOutcome[]): BatchTotals {
  const sum = { fundCredited: ZERO, fundDrawn: ZERO, adlQuantity: ZERO, adlFilledQuantity: ZERO, adlTransferred: ZERO, socializedLoss: ZERO, unfilledQuantity: ZERO, returnedToAccount: ZERO, bankruptLoss: ZERO };
  let fills = 0;
  for (const it of items) {
    const c = it.settlement.conservation;
    sum.fundCredited = sum.fundCredited.plus(c.fundCredited);
    sum.fundDrawn = sum.fundDrawn.plus(c.fundDrawn);
    sum.adlQuantity = sum.adlQuantity.plus(it.decision.adlQuantity);
    sum.adlFilledQuantity = sum.adlFilledQuantity.plus(it.adl.filledQuantity);
    sum.adlTransferred = sum.adlTransferred.plus(c.adlTransferred);
    sum.socializedLoss = sum.socializedLoss.plus(c.socializedLoss);
    sum.unfilledQuantity = sum.unfilledQuantity.plus(it.settlement.unfilledQuantity);
    sum.returnedToAccount = sum.returnedToAccount.plus(c.returnedToAccount);
    sum.bankruptLoss = sum.bankruptLoss.plus(c.bankruptLoss);
    fills += it.adl.plan?.fills.length ?? 0;
  }
  const rhs = sum.fundDrawn.minus(sum.fundCredited).plus(sum.adlTransferred).plus(sum.socializedLoss).minus(sum.returnedToAccount);
  if (!rhs.eq(sum.bankruptLoss)) throw new Error("batch: conservation broken in total");
  if (!before.balance.plus(sum.fundCredited).minus(sum.fundDrawn).eq(after.balance)) throw new Error("batch: balance chain broken");
  return {
    liquidations: items.length,
    fills,
    balanceBefore: toWire(before.balance),
    balanceAfter: toWire(after.balance),
    fundCredited: toWire(sum.fundCredited),
    fundDrawn: toWire(sum.fundDrawn),
    adlQuantity: toWire(sum.adlQuantity),
    adlFilledQuantity: toWire(sum.adlFilledQuantity),
    adlTransferred: toWire(sum.adlTransferred),
    socializedLoss: toWire(sum.socializedLoss),
    unfilledQuantity: toWire(sum.unfilledQuantity),
    returnedToAccount: toWire(sum.returnedToAccount),
    bankruptLoss: toWire(sum.bankruptLoss),
  };
}

/**
 * The batch response as JSON text, assembled around the items' own texts (each exactly the single route's body, as
 * stored under its liquidation id), so a replay rebuilds the same bytes from what is stored.
 */
export function batchResponseJson(ids: { batchId: string; marketId: string }, itemJsons: readonly string[], tail: string): string {
  return `{"batchId":${JSON.stringify(ids.batchId)},"marketId":${JSON.stringify(ids.marketId)},"results":[${itemJsons.join(",")}],${tail}}`;
}

/** The part after `results`: totals, every counterparty's remaining position, the time (stored under the batch id). */
export function batchTailJson(outcome: Pick<BatchOutcome, "totals" | "counterparties">, createdAt: string): string {
  return `"totals":${JSON.stringify(outcome.totals)},"counterparties":${JSON.stringify(outcome.counterparties)},"createdAt":${JSON.stringify(createdAt)}`;
}

export { MAX_EXECUTIONS };
