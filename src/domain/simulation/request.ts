/**
 * The stress run's request, validated into a plan: every bad field reported at once with its JSON pointer, every
 * limit (limits.ts) checked before any work. Plain data in, result out; no I/O, no clock.
 */
import { Decimal, parseDecimal, parseNonNegative, parsePositive, parseRate } from "../num/decimal";
import { fail, parseFields } from "../fields";
import { type FundConfig, type FundConfigInput, type TriggerRuleInput, parseFundConfig } from "../fund/config";
import { DEFAULT_LIQUIDATION_CONVENTION, type LiquidationConvention } from "../liquidation-price";
import { COMPARE_CANDIDATES, type CompareCandidate } from "../policies/compare";
import { DomainError, type DomainIssue, type ContractType, type PositionInput } from "../types";
import { type PreparedBook, prepareBook, toTicks } from "./book";
import type { ImpactModel } from "./impact";
import * as L from "./limits";
import { type Scenario, pathCount, stepCount } from "./paths";
import type { PriceRule } from "./simulate-path";

export interface SimulationInput {
  market: { contractType: ContractType; contractSize: string; lotSize: string; tickSize?: string; settlementAsset?: string; amountDecimals?: number };
  markPrice: string;
  positions: PositionInput[];
  fund: { balance: string; floor?: string; adlTrigger?: TriggerRuleInput; maxDrawPerEvent?: string };
  liquidation: { maintenanceMarginRate: string; liquidationConvention?: LiquidationConvention; liquidationFeeRate?: string };
  scenario: ScenarioInput;
  impact: ImpactInput;
  policies?: CompareCandidate[];
  priceRule?: PriceRule;
  maxCascadeRounds?: number;
  output?: { events?: boolean; steps?: boolean };
}

export type ScenarioInput =
  | { markPath: string[] }
  | { shock: { drop: string; steps: number } }
  | { model: "gbm"; paths: number; steps: number; seed: string | number; sigma: string; drift?: string }
  | { model: "garch"; paths: number; steps: number; seed: string | number; omega: string; alpha: string; beta: string; innovations?: "normal" | "student-t"; degreesOfFreedom?: number };

export type ImpactInput =
  | { model: "none" }
  | { model: "linear"; lambda: string }
  | { model: "book"; depth: string; resilience: string }
  | { model: "sqrt"; sigma: string; dailyVolume: string; y: string };

export interface SimulationPlan {
  book: PreparedBook;
  /** The floor-rule configuration fundNeeded is defined under (the issue's rule), same market and floor. */
  floorConfig: FundConfig;
  scenario: Scenario;
  impact: ImpactModel;
  policies: CompareCandidate[];
  priceRule: PriceRule;
  liquidationFeeRate?: string;
  maxRounds: number;
  startBalance: Decimal;
  startTicks: number;
  seed?: string;
  paths: number;
  steps: number;
  output: { events: boolean; steps: boolean };
  /** Paths [0, detailPaths) carry per-step series and events (every path when output asks, else none). */
  detailPaths: number;
  inline: boolean;
  /** The exact engine throughout (book and events; see PathOptions.exact): for the tests that prove the fast one equal. */
  exact?: boolean;
}

/** Cheap checks of size that decide whether a request is even parsed further (the positions are counted, not read). */
function limitIssues(input: SimulationInput, paths: number, steps: number, policies: number): DomainIssue[] {
  const issues: DomainIssue[] = [];
  const n = Array.isArray(input.positions) ? input.positions.length : 0;
  const limit = (pointer: string, code: string, message: string) => issues.push({ pointer, code, message });
  if (n > L.MAX_POSITIONS) limit("/positions", "too_many_positions", `at most ${L.MAX_POSITIONS} positions (limit MAX_POSITIONS)`);
  if (paths * steps > L.MAX_PATH_STEPS) limit("/scenario", "too_much_work", `paths x steps = ${paths * steps} exceeds ${L.MAX_PATH_STEPS} (limit MAX_PATH_STEPS)`);
  if (n * paths * policies > L.MAX_BOOK_WORK) limit("/positions", "too_much_work", `positions x paths x policies = ${n * paths * policies} exceeds ${L.MAX_BOOK_WORK} (limit MAX_BOOK_WORK)`);
  return issues;
}

function integerIn(value: unknown, pointer: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) fail(pointer, "out_of_range", `must be an integer in [${min}, ${max}]`);
  return value;
}

function floatOf(value: unknown, pointer: string, check: (x: Decimal) => boolean, what: string): number {
  const x = parseDecimal(value, pointer);
  if (!check(x)) fail(pointer, "out_of_range", what);
  return x.toNumber();
}

function seedOf(value: unknown, pointer: string): string {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === "string" && value.length >= 1 && value.length <= 128) return value;
  return fail(pointer, "invalid_seed", "must be a non-negative integer or a string of 1 to 128 characters");
}

function parseScenario(s: ScenarioInput, tick: Decimal | null): Scenario {
  const p = "/scenario";
  if (s && "markPath" in s) {
    const marks = s.markPath;
    if (!Array.isArray(marks) || marks.length < 1 || marks.length > L.MAX_STEPS) fail(`${p}/markPath`, "out_of_range", `1 to ${L.MAX_STEPS} marks (limit MAX_STEPS)`);
    const issues: DomainIssue[] = [];
    const ticks = marks.map((m, i) => {
      try {
        const x = parsePositive(m, `${p}/markPath/${i}`);
        if (tick && !x.mod(tick).isZero()) fail(`${p}/markPath/${i}`, "not_tick_multiple", `must be a multiple of the tick size ${tick.toFixed()}`);
        return tick ? toTicks(x, tick) : 0;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        if (issues.length < 50) issues.push(...e.issues);
        return 0;
      }
    });
    if (issues.length > 0) throw new DomainError(issues);
    return { model: "markPath", marksTicks: ticks };
  }
  if (s && "shock" in s) {
    const f = parseFields({
      drop: () => floatOf(s.shock?.drop, `${p}/shock/drop`, (x) => x.gt(0) && x.lt(1), "must be greater than 0 and less than 1 (a fraction of the mark)"),
      steps: () => integerIn(s.shock?.steps, `${p}/shock/steps`, 1, L.MAX_STEPS),
    });
    return { model: "shock", ...f };
  }
  const m = s as Extract<ScenarioInput, { model: string }>;
  const common = () => ({
    paths: integerIn(m.paths, `${p}/paths`, 1, L.MAX_PATHS),
    steps: integerIn(m.steps, `${p}/steps`, 1, L.MAX_STEPS),
    seed: seedOf(m.seed, `${p}/seed`),
  });
  if (m?.model === "gbm") {
    const f = parseFields({
      common,
      sigma: () => floatOf(m.sigma, `${p}/sigma`, (x) => x.gte(0) && x.lt(1), "a per-step volatility in [0, 1)"),
      drift: () => (m.drift === undefined ? 0 : floatOf(m.drift, `${p}/drift`, (x) => x.abs().lt(1), "a per-step log drift in (-1, 1)")),
    });
    return { model: "gbm", ...f.common, sigma: f.sigma, drift: f.drift };
  }
  if (m?.model === "garch") {
    const f = parseFields({
      common,
      omega: () => floatOf(m.omega, `${p}/omega`, (x) => x.gt(0) && x.lt(1), "must be in (0, 1)"),
      alpha: () => floatOf(m.alpha, `${p}/alpha`, (x) => x.gte(0) && x.lt(1), "must be in [0, 1)"),
      beta: () => floatOf(m.beta, `${p}/beta`, (x) => x.gte(0) && x.lt(1), "must be in [0, 1)"),
      innovations: () => {
        const v = m.innovations ?? "normal";
        if (v !== "normal" && v !== "student-t") fail(`${p}/innovations`, "invalid_innovations", "must be normal or student-t");
        return v;
      },
      degreesOfFreedom: () => {
        const v = m.degreesOfFreedom ?? 4;
        if (typeof v !== "number" || !Number.isFinite(v) || v <= 2 || v > 1000) fail(`${p}/degreesOfFreedom`, "out_of_range", "must be a number in (2, 1000] (unit variance needs more than 2)");
        return v;
      },
    });
    if (f.alpha + f.beta >= 1) fail(`${p}/beta`, "not_stationary", "alpha + beta must be less than 1 (a stationary variance)");
    return { model: "garch", ...f.common, omega: f.omega, alpha: f.alpha, beta: f.beta, innovations: f.innovations, degreesOfFreedom: f.degreesOfFreedom };
  }
  return fail(p, "invalid_scenario", "one of { markPath }, { shock }, { model: \"gbm\", ... } or { model: \"garch\", ... }");
}

function parseImpact(i: ImpactInput, tick: Decimal): ImpactModel {
  const p = "/impact";
  switch (i?.model) {
    case "none":
      return { model: "none" };
    case "linear": {
      const lambda = parseNonNegative(i.lambda, `${p}/lambda`);
      return { model: "linear", lambdaTicksPerContract: lambda.div(tick).toNumber() };
    }
    case "book": {
      const f = parseFields({
        depth: () => parsePositive(i.depth, `${p}/depth`),
        resilience: () => floatOf(i.resilience, `${p}/resilience`, (x) => x.gte(0) && x.lte(100), "a decay rate per step in [0, 100]"),
      });
      return { model: "book", depthContractsPerTick: f.depth.times(tick).toNumber(), resilience: f.resilience };
    }
    case "sqrt": {
      const f = parseFields({
        sigma: () => floatOf(i.sigma, `${p}/sigma`, (x) => x.gte(0) && x.lt(10), "a daily volatility in [0, 10)"),
        dailyVolume: () => floatOf(i.dailyVolume, `${p}/dailyVolume`, (x) => x.gt(0), "must be greater than 0 (contracts per day)"),
        y: () => floatOf(i.y, `${p}/y`, (x) => x.gte(0) && x.lte(100), "must be in [0, 100] (of order 1)"),
      });
      return { model: "sqrt", ...f };
    }
    default:
      return fail(`${p}/model`, "invalid_model", "must be none, linear, book or sqrt");
  }
}

const CONFIG_POINTERS: [string, string][] = [
  ["/contractType", "/market/contractType"],
  ["/contractSize", "/market/contractSize"],
  ["/lotSize", "/market/lotSize"],
  ["/tickSize", "/market/tickSize"],
  ["/settlementAsset", "/market/settlementAsset"],
  ["/amountDecimals", "/market/amountDecimals"],
  ["/fundFloor", "/fund/floor"],
  ["/maxDrawPerEvent", "/fund/maxDrawPerEvent"],
  ["/adlTrigger", "/fund/adlTrigger"],
];

function configOf(input: SimulationInput, floorRule: boolean): FundConfig {
  const m = input.market ?? ({} as SimulationInput["market"]);
  const cfg: FundConfigInput = {
    contractType: m.contractType,
    contractSize: m.contractSize,
    lotSize: m.lotSize,
    tickSize: m.tickSize,
    settlementAsset: m.settlementAsset ?? "USDT",
    amountDecimals: m.amountDecimals,
    fundFloor: input.fund?.floor,
    maxDrawPerEvent: input.fund?.maxDrawPerEvent,
    adlTrigger: floorRule ? { rule: "floor" } : input.fund?.adlTrigger,
  };
  try {
    return parseFundConfig(cfg);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    throw new DomainError(
      e.issues.map((i) => {
        const hit = CONFIG_POINTERS.find(([from]) => i.pointer === from || i.pointer.startsWith(`${from}/`));
        return hit ? { ...i, pointer: hit[1] + i.pointer.slice(hit[0].length) } : { ...i, pointer: `/market${i.pointer}` };
      }),
    );
  }
}

function policiesOf(value: unknown, seed: string | undefined): CompareCandidate[] {
  if (value === undefined) return COMPARE_CANDIDATES.filter((c) => c !== "queue:random" || seed !== undefined);
  if (!Array.isArray(value) || value.length === 0 || value.length > COMPARE_CANDIDATES.length) fail("/policies", "invalid_policies", `1 to ${COMPARE_CANDIDATES.length} of ${COMPARE_CANDIDATES.join(", ")}`);
  const seen = new Set<string>();
  value.forEach((v, i) => {
    if (!(COMPARE_CANDIDATES as readonly unknown[]).includes(v)) fail(`/policies/${i}`, "invalid_policy", `must be one of ${COMPARE_CANDIDATES.join(", ")}`);
    if (seen.has(v)) fail(`/policies/${i}`, "duplicate_policy", "listed twice");
    if (v === "queue:random" && seed === undefined) fail(`/policies/${i}`, "seed_required", "queue:random needs a seeded scenario (gbm or garch)");
    seen.add(v);
  });
  return value as CompareCandidate[];
}

export function parseSimulation(input: SimulationInput, options: { exact?: boolean } = {}): SimulationPlan {
  // Sizes first, from counts alone: an oversized run is refused before its positions are read.
  const scenarioShape = input.scenario as ScenarioInput | undefined;
  const rawPaths = scenarioShape && "model" in scenarioShape && typeof scenarioShape.paths === "number" ? scenarioShape.paths : 1;
  const rawSteps =
    scenarioShape && "markPath" in scenarioShape && Array.isArray(scenarioShape.markPath)
      ? scenarioShape.markPath.length
      : scenarioShape && "shock" in scenarioShape
        ? Number(scenarioShape.shock?.steps) || 1
        : scenarioShape && "model" in scenarioShape && typeof scenarioShape.steps === "number" ? scenarioShape.steps : 1;
  const rawPolicies = Array.isArray(input.policies) ? input.policies.length : COMPARE_CANDIDATES.length;
  const early = limitIssues(input, rawPaths, rawSteps, rawPolicies);
  if (early.length > 0) throw new DomainError(early);

  const f = parseFields({
    config: () => configOf(input, false),
    floorConfig: () => configOf(input, true),
    liquidation: () =>
      parseFields({
        mmr: () => parseRate(input.liquidation?.maintenanceMarginRate, "/liquidation/maintenanceMarginRate"),
        convention: () => {
          const c = input.liquidation?.liquidationConvention ?? DEFAULT_LIQUIDATION_CONVENTION;
          if (c !== "entry" && c !== "mark") fail("/liquidation/liquidationConvention", "invalid_convention", "must be entry or mark");
          return c;
        },
        feeRate: () => (input.liquidation?.liquidationFeeRate === undefined ? undefined : (parseRate(input.liquidation.liquidationFeeRate, "/liquidation/liquidationFeeRate"), input.liquidation.liquidationFeeRate)),
      }),
    balance: () => parseNonNegative(input.fund?.balance, "/fund/balance"),
    maxRounds: () => (input.maxCascadeRounds === undefined ? L.DEFAULT_MAX_ROUNDS : integerIn(input.maxCascadeRounds, "/maxCascadeRounds", 1, L.MAX_ROUNDS)),
    priceRule: () => {
      const r = input.priceRule ?? "bankruptcy";
      if (r !== "bankruptcy" && r !== "mark") fail("/priceRule", "invalid_price_rule", "must be bankruptcy or mark");
      return r;
    },
  });
  const config = f.config;
  const tick = config.market.tickSize;
  const g = parseFields({
    scenario: () => parseScenario(input.scenario, tick),
    impact: () => parseImpact(input.impact, tick),
    start: () => {
      const x = parsePositive(input.markPrice, "/markPrice");
      if (!x.mod(tick).isZero()) fail("/markPrice", "not_tick_multiple", `must be a multiple of the tick size ${tick.toFixed()}`);
      const t = toTicks(x, tick);
      if (t > 2 ** 50) fail("/markPrice", "out_of_range", "at most 2^50 ticks (prices are exact whole ticks inside the simulator)");
      return t;
    },
    balanceGrid: () => {
      if (f.balance.decimalPlaces() > config.amountDecimals) fail("/fund/balance", "too_many_decimals", `at most ${config.amountDecimals} decimal places (amountDecimals)`);
      return true;
    },
    positions: () => {
      if (!Array.isArray(input.positions) || input.positions.length === 0) fail("/positions", "empty", "at least one position");
      const seen = new Map<string, number>();
      input.positions.forEach((p, i) => {
        if (p && typeof p.accountId === "string") {
          if (seen.has(p.accountId)) fail(`/positions/${i}/accountId`, "duplicate_account", `account ${JSON.stringify(p.accountId)} also holds /positions/${seen.get(p.accountId)} (one position per account in a market)`);
          seen.set(p.accountId, i);
        }
      });
      // The map is the book's accountId -> index as well (one position per account: nothing else to check).
      return { list: input.positions, indexOf: seen };
    },
  });
  const seed = g.scenario.model === "gbm" || g.scenario.model === "garch" ? g.scenario.seed : undefined;
  const policies = policiesOf(input.policies, seed);
  const paths = pathCount(g.scenario);
  const steps = stepCount(g.scenario);
  const n = g.positions.list.length;

  const wantSteps = input.output?.steps ?? paths <= L.DEFAULT_DETAIL_MAX_PATHS;
  const eventsFit = n <= L.MAX_EVENT_POSITIONS && paths * policies.length * n * n <= L.MAX_EVENT_CELLS;
  const wantEvents = input.output?.events ?? (paths <= L.DEFAULT_DETAIL_MAX_PATHS && eventsFit);
  if (wantSteps && paths * steps * policies.length > L.MAX_SERIES_POINTS) {
    fail("/output/steps", "output_too_large", `paths x steps x policies = ${paths * steps * policies.length} exceeds ${L.MAX_SERIES_POINTS} (limit MAX_SERIES_POINTS); ask for output.steps false`);
  }
  if (wantEvents && !eventsFit) {
    fail("/output/events", "output_too_large", `events carry the opposite side: positions <= ${L.MAX_EVENT_POSITIONS} and paths x policies x positions^2 <= ${L.MAX_EVENT_CELLS} (limit MAX_EVENT_CELLS); ask for output.events false`);
  }

  const book = prepareBook(config, { contractType: config.market.contractType, contractSize: config.market.contractSize.toFixed(), lotSize: config.market.lotSize.toFixed(), tickSize: tick.toFixed() }, g.positions.list, f.liquidation.mmr, f.liquidation.convention, options.exact ? "exact" : "fast", g.positions.indexOf);
  const work = paths * policies.length * (n + steps);
  return {
    book,
    floorConfig: f.floorConfig,
    scenario: g.scenario,
    impact: g.impact,
    policies,
    priceRule: f.priceRule,
    ...(f.liquidation.feeRate === undefined ? {} : { liquidationFeeRate: f.liquidation.feeRate }),
    maxRounds: f.maxRounds,
    startBalance: f.balance,
    startTicks: g.start,
    ...(seed === undefined ? {} : { seed }),
    paths,
    steps,
    output: { events: wantEvents, steps: wantSteps },
    detailPaths: wantEvents || wantSteps ? paths : 0,
    inline: paths <= L.INLINE_MAX_PATHS && work <= L.INLINE_MAX_WORK,
    ...(options.exact ? { exact: true } : {}),
  };
}
