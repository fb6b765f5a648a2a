/**
 * One path under one ADL policy: the loop of stress.md section 1.
 *
 * For each step t: the mark before liquidations is the exogenous path times what is left of earlier impact, rounded
 * half-even onto the tick grid (a mark is an observation, not an amount: neither side is favoured). Every open
 * position the mark crosses is liquidated, in full, at that step, in the order the mark reached them; its closing
 * order meets the book through the impact model: one execution at the impact price, rounded one tick against the
 * liquidated account (a sell down, a buy up: a loss is never understated). The impact moves the price, which can cross
 * more liquidation prices: another round at the moved mark, until no new crossing or `maxRounds` (the spiral's cap;
 * what is still crossed then is liquidated at the next step, and the cap hit is counted).
 *
 * Each liquidation is a request POST /v1/markets/{id}/liquidations accepts (the mark that crossed it, the execution
 * as simulated, the opposite side as it stands) and goes through the liquidation module's steps (liquidation-engine.ts). ADL is
 * a transfer at a price, not a market order: it has no impact. Deleveraged counterparties keep their reduced
 * positions for the next steps (open-book.ts).
 * Plain data in, result out; no I/O, no clock.
 */
import { Decimal, ONE, ZERO, parseRate, toWire } from "../num/decimal";
import type { FundConfig } from "../fund/config";
import { type FundState, nextAdlActive } from "../fund/trigger";
import type { LiquidationInput } from "../fund/waterfall";
import type { CompareCandidate } from "../policies/compare";
import type { PositionInput } from "../types";
import type { AdlFills, Fill } from "../fills";
import { fillsToWireFast } from "../fast/fills";
import { AdlBook } from "./adl-book";
import { type PreparedBook, ticksToWire } from "./book";
import { type ImpactModel, applyImpact, carryDisplacement, newImpactState } from "./impact";
import { type HaircutFigures, PathHaircuts } from "./haircuts";
import { decisionToWire, settlementToWire } from "../liquidation/wire";
import { decideFundPart, decideParsed, nextFundState, settle } from "./liquidation-engine";
import { paidInFull } from "./fast/paid-in-full";
import { parsedLiquidation } from "./fast/parsed-liquidation";
import { OpenBook } from "./open-book";
import type { AdlPriceRule } from "../vocabulary";

/** The ADL price rule (declared once in vocabulary.ts). */
export type PriceRule = AdlPriceRule;

export interface PathOptions {
  book: PreparedBook;
  impact: ImpactModel;
  policy: CompareCandidate;
  priceRule: PriceRule;
  liquidationFeeRate?: string;
  /** Seed of queue:random (the scenario's seed). */
  seed?: string;
  maxRounds: number;
  startBalance: Decimal;
  /** Override of the fund configuration (the unconstrained run for fundNeeded uses the floor rule). */
  config?: FundConfig;
  recordEvents: boolean;
  recordSteps: boolean;
  /**
   * The exact engine: every event parsed from its exported request by the route's parseLiquidationRequest. Default
   * (false): the same parse built from values already held (fast/parsed-liquidation.ts), proven equal by test.
   */
  exact?: boolean;
}

/** The exact body of POST /v1/markets/{id}/liquidations for one simulated event. */
export interface LiquidationRequestBody extends LiquidationInput {
  counterparties: PositionInput[];
  method?: "bitmex" | "binance" | "hyperliquid" | "random";
  policy: "queue" | "pro-rata" | "capped-pro-rata" | "leverage-draining";
  priceRule: PriceRule;
  seed?: string;
}

export interface SimulatedEvent {
  step: number;
  round: number;
  request: LiquidationRequestBody;
  fundBalanceAfter: string;
  adlQuantity: string;
  adlFilledQuantity: string;
  socializedLoss: string;
  fills: Fill[];
  conservation: Record<string, string>;
}

export interface StepRecord {
  mark: string;
  exogenousMark: string;
  rounds: number;
  liquidations: number;
  liquidatedQuantity: string;
  liquidatedNotional: string;
  slippage: string;
  fundBalance: string;
  adlQuantity: string;
  accountsDeleveraged: number;
  socializedLoss: string;
}

/**
 * Exact totals of one path (decimal strings, unrounded sums of rounded per-event amounts), and the path's haircut
 * figures (haircuts.ts: the comparison route's metrics over every ADL event of the path; null without ADL).
 */
export interface PathTotals extends HaircutFigures {
  liquidations: number;
  liquidatedQuantity: string;
  liquidatedNotional: string;
  slippage: string;
  credited: string;
  drawn: string;
  adlQuantity: string;
  adlFilledQuantity: string;
  adlTransferred: string;
  socializedLoss: string;
  returnedToAccount: string;
  bankruptLoss: string;
  accountsDeleveraged: number;
  adlEvents: number;
  fundStart: string;
  fundEnd: string;
  fundMin: string;
  /** Largest single-event draw. */
  maxEventDraw: string;
  startMarkTicks: number;
  minMarkTicks: number;
  maxMarkTicks: number;
  minExogenousTicks: number;
  maxExogenousTicks: number;
  maxRoundsUsed: number;
  roundCapHits: number;
  rankings: number;
}

export interface PathRun {
  totals: PathTotals;
  events?: SimulatedEvent[];
  steps?: StepRecord[];
}

const METHOD_OF: Record<string, LiquidationRequestBody["method"]> = { "queue:bitmex": "bitmex", "queue:binance": "binance", "queue:hyperliquid": "hyperliquid", "queue:random": "random" };

/** Runs one exogenous path (ticks, element 0 = start) under one policy. */
export function simulatePath(exo: Float64Array, o: PathOptions): PathRun {
  const { book, impact } = o;
  const config = o.config ?? book.config;
  const market = config.market;
  const tick = book.tick;
  const open = new OpenBook(book);
  const adl = new AdlBook(open, o.policy, o.seed);
  const haircuts = new PathHaircuts(open);
  const method = METHOD_OF[o.policy];
  const wirePolicy: LiquidationRequestBody["policy"] = method ? "queue" : (o.policy as LiquidationRequestBody["policy"]);
  const linear = market.contractType === "linear";

  let state: FundState = { balance: o.startBalance, peakBalance: o.startBalance, adlActive: false };
  state = { ...state, adlActive: nextAdlActiveAtStart(config, o.startBalance) };
  const t0 = exo[0]!;
  const acc = {
    liquidations: 0, liquidatedQuantity: ZERO, liquidatedNotional: ZERO, slippage: ZERO, credited: ZERO, drawn: ZERO,
    adlQuantity: ZERO, adlFilledQuantity: ZERO, adlTransferred: ZERO, socializedLoss: ZERO, returnedToAccount: ZERO,
    bankruptLoss: ZERO, accountsDeleveraged: 0, adlEvents: 0, fundMin: o.startBalance, maxEventDraw: ZERO,
    minMark: t0, maxMark: t0, minExo: t0, maxExo: t0, maxRoundsUsed: 0, roundCapHits: 0,
  };
  const events: SimulatedEvent[] | undefined = o.recordEvents ? [] : undefined;
  const steps: StepRecord[] | undefined = o.recordSteps ? [] : undefined;

  const feeRate = o.liquidationFeeRate === undefined ? null : parseRate(o.liquidationFeeRate, "/liquidationFeeRate");
  /** The exact body POST /v1/markets/{id}/liquidations accepts for this event (the opposite side as it stands). */
  const requestOf = (pos: PositionInput, markWire: string, execWire: string): LiquidationRequestBody => ({
    markPrice: markWire,
    liquidated: { accountId: pos.accountId, side: pos.side, size: pos.size, entryPrice: pos.entryPrice, margin: pos.margin },
    executions: [{ quantity: pos.size, price: execWire }],
    counterparties: o.recordEvents ? open.openOf(pos.side === "long" ? "short" : "long").map((j) => open.input(j)) : [],
    ...(method ? { method } : {}),
    policy: wirePolicy,
    priceRule: o.priceRule,
    ...(o.liquidationFeeRate === undefined ? {} : { liquidationFeeRate: o.liquidationFeeRate }),
    ...(method === "random" && o.seed !== undefined ? { seed: o.seed } : {}),
  });

  let logD = 0;
  const n = exo.length - 1;
  for (let t = 1; t <= n; t++) {
    const x = exo[t]!;
    const xTicks = Math.max(1, roundHalfEven(x));
    if (xTicks < acc.minExo) acc.minExo = xTicks;
    if (xTicks > acc.maxExo) acc.maxExo = xTicks;
    let p = x * Math.exp(logD);
    const imp = newImpactState();
    let rounds = 0;
    const st = o.recordSteps ? { liq: 0, q: ZERO, notional: ZERO, slip: ZERO, adl: ZERO, cps: 0, soc: ZERO } : null;
    let markTicks = Math.max(1, roundHalfEven(p));
    for (;;) {
      if (rounds === o.maxRounds) {
        // Still crossed: those positions wait for the next step (counted, so a capped spiral is visible).
        if (open.anyCrossed(markTicks)) acc.roundCapHits++;
        break;
      }
      const crossed = open.takeCrossed(markTicks);
      if (crossed.length === 0) break;
      rounds++;
      // The mark, and its wire string (ticks.ts ticksToWire) for the exported requests and the kept queues' keys.
      const mark = tick.times(markTicks);
      const markWire = mark.toFixed();
      for (const i of crossed) {
        if (open.dead[i] === 1) continue; // closed by ADL earlier in this round
        const pos = open.input(i);
        const parsedPos = open.parsed(i);
        const dir: 1 | -1 = pos.side === "long" ? -1 : 1;
        const r = applyImpact(impact, imp, p, open.sizeContracts(i), dir);
        p = r.afterTicks;
        let execTicks = dir === -1 ? Math.floor(r.executionTicks) : Math.ceil(r.executionTicks);
        if (execTicks < 1) execTicks = 1;
        // Exact: a whole number of ticks (the wire string is this value's, built only when a request is exported).
        const exec = tick.times(execTicks);
        const request = events || o.exact ? requestOf(pos, markWire, exec.toFixed()) : null;
        const liq = o.exact ? null : parsedLiquidation(open.liquidatedPart(i), mark, exec, feeRate);
        // No event exported: an event the fund takes whole skips the module's records (fast/paid-in-full.ts).
        const full = liq !== null && !events ? paidInFull(config, state, liq) : null;
        let credited: Decimal, drawn: Decimal, adlQuantity = ZERO, filled = ZERO, fills: Fill[] = [];
        let adlTransferred = ZERO, socializedLoss = ZERO, returnedToAccount: Decimal, bankruptLoss: Decimal;
        if (full) {
          open.close(i);
          ({ credited, drawn, returnedToAccount, bankruptLoss } = full);
          state = full.state;
        } else {
          const step = liq !== null ? decideParsed(config, state, liq) : decideFundPart(config, state, request!);
          const d = step.decision;
          open.close(i);
          const adlPrice = o.priceRule === "mark" ? mark : d.bankruptcyPrice;
          let plan: AdlFills | null = null;
          if (!d.adlQuantity.isZero()) {
            const opposite = pos.side === "long" ? "short" : "long";
            haircuts.stand(opposite, mark);
            plan = adl.fill({ liquidatedIndex: i, liquidatedSide: pos.side, quantity: d.adlQuantity, price: adlPrice, mark, markWire });
            haircuts.give(opposite, mark, adlPrice, plan.fills);
            // Written as the route writes its fills (fast/fills.ts) only when the events are recorded.
            if (events) fills = fillsToWireFast(plan).fills;
            filled = plan.filledQuantity;
            acc.adlEvents++;
          }
          const s = settle(config, step, adlPrice, plan, filled);
          state = nextFundState(state, d);
          ({ credited, drawn } = d.fund);
          adlQuantity = d.adlQuantity;
          ({ adlTransferred, socializedLoss, returnedToAccount } = s);
          bankruptLoss = s.conservation.bankruptLoss;
          if (events) {
            // As the route writes them (liquidation/wire.ts).
            const dw = decisionToWire(d);
            const sw = settlementToWire(s);
            events.push({
              step: t,
              round: rounds,
              request: request!,
              fundBalanceAfter: dw.fund.balanceAfter,
              adlQuantity: dw.adlQuantity,
              adlFilledQuantity: toWire(filled),
              socializedLoss: sw.socializedLoss,
              fills,
              conservation: sw.conservation,
            });
          }
        }

        const qk = parsedPos.qk; // Q*K, as the position computed it once
        const notional = linear ? qk.times(mark) : qk.div(mark);
        const slipTicks = Math.abs(markTicks - execTicks);
        const slip = slipTicks === 0 ? ZERO : linear ? qk.times(tick).times(slipTicks) : qk.times(ONE.div(exec).minus(ONE.div(mark)).abs());
        acc.liquidations++;
        acc.liquidatedQuantity = acc.liquidatedQuantity.plus(parsedPos.size);
        acc.liquidatedNotional = acc.liquidatedNotional.plus(notional);
        if (slipTicks !== 0) acc.slippage = acc.slippage.plus(slip);
        // Most events move only one or two of these: zeros are skipped (adding 0 is exact anyway).
        if (!credited.isZero()) acc.credited = acc.credited.plus(credited);
        const drew = !drawn.isZero();
        if (drew) {
          acc.drawn = acc.drawn.plus(drawn);
          if (acc.maxEventDraw.lt(drawn)) acc.maxEventDraw = drawn;
        }
        if (!adlQuantity.isZero()) {
          acc.adlQuantity = acc.adlQuantity.plus(adlQuantity);
          acc.adlFilledQuantity = acc.adlFilledQuantity.plus(filled);
        }
        if (!adlTransferred.isZero()) acc.adlTransferred = acc.adlTransferred.plus(adlTransferred);
        if (!socializedLoss.isZero()) acc.socializedLoss = acc.socializedLoss.plus(socializedLoss);
        if (!returnedToAccount.isZero()) acc.returnedToAccount = acc.returnedToAccount.plus(returnedToAccount);
        acc.bankruptLoss = acc.bankruptLoss.plus(bankruptLoss);
        acc.accountsDeleveraged += fills.length;
        if (drew && state.balance.lt(acc.fundMin)) acc.fundMin = state.balance;
        if (st) {
          st.liq++;
          st.q = st.q.plus(parsedPos.size);
          st.notional = st.notional.plus(notional);
          st.slip = st.slip.plus(slip);
          st.adl = st.adl.plus(adlQuantity);
          st.cps += fills.length;
          st.soc = st.soc.plus(socializedLoss);
        }
      }
      markTicks = Math.max(1, roundHalfEven(p));
    }
    if (rounds > acc.maxRoundsUsed) acc.maxRoundsUsed = rounds;
    if (markTicks < acc.minMark) acc.minMark = markTicks;
    if (markTicks > acc.maxMark) acc.maxMark = markTicks;
    logD = carryDisplacement(impact, Math.log(p / x));
    if (steps && st) {
      steps.push({
        mark: ticksToWire(markTicks, tick),
        exogenousMark: ticksToWire(xTicks, tick),
        rounds,
        liquidations: st.liq,
        liquidatedQuantity: st.q.toFixed(),
        liquidatedNotional: st.notional.toFixed(),
        slippage: st.slip.toFixed(),
        fundBalance: state.balance.toFixed(),
        adlQuantity: st.adl.toFixed(),
        accountsDeleveraged: st.cps,
        socializedLoss: st.soc.toFixed(),
      });
    }
  }

  const totals: PathTotals = {
    liquidations: acc.liquidations,
    liquidatedQuantity: acc.liquidatedQuantity.toFixed(),
    liquidatedNotional: acc.liquidatedNotional.toFixed(),
    slippage: acc.slippage.toFixed(),
    credited: acc.credited.toFixed(),
    drawn: acc.drawn.toFixed(),
    adlQuantity: acc.adlQuantity.toFixed(),
    adlFilledQuantity: acc.adlFilledQuantity.toFixed(),
    adlTransferred: acc.adlTransferred.toFixed(),
    socializedLoss: acc.socializedLoss.toFixed(),
    returnedToAccount: acc.returnedToAccount.toFixed(),
    bankruptLoss: acc.bankruptLoss.toFixed(),
    accountsDeleveraged: acc.accountsDeleveraged,
    adlEvents: acc.adlEvents,
    fundStart: o.startBalance.toFixed(),
    fundEnd: state.balance.toFixed(),
    fundMin: acc.fundMin.toFixed(),
    maxEventDraw: acc.maxEventDraw.toFixed(),
    startMarkTicks: t0,
    minMarkTicks: acc.minMark,
    maxMarkTicks: acc.maxMark,
    minExogenousTicks: acc.minExo,
    maxExogenousTicks: acc.maxExo,
    maxRoundsUsed: acc.maxRoundsUsed,
    roundCapHits: acc.roundCapHits,
    rankings: adl.rankings,
    ...haircuts.figures(),
  };
  return { totals, ...(events ? { events } : {}), ...(steps ? { steps } : {}) };
}

/** Half-even to the nearest integer (ties to even), for marks: an observation, so neither side is favoured. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** ADL state of a fund that has just been deposited (the replay's fresh market: peak = the deposit). */
function nextAdlActiveAtStart(config: FundConfig, balance: Decimal): boolean {
  return nextAdlActive(config, false, balance, balance);
}
