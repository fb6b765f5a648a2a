/**
 * Schemas of the stress lab routes (issue 12): POST /v1/simulations, GET /v1/simulations/{simulationId},
 * GET /v1/simulations. The wire shape is checked here; the domain (src/domain/simulation/request.ts) checks what
 * needs the market (tick and lot grids) and the limits, with pointers into the same body.
 */
import { z } from "@hono/zod-openapi";
import { COMPARE_CANDIDATES } from "../../domain/policies/compare";
import { limits } from "../../domain/simulation";
import { RESULT_RETENTION_MS, RUN_STATUSES } from "../../durable-objects/simulation-store";
import { NonNegativeDecimal, PositiveDecimal } from "./common";
import { Position } from "./engine";
import { strictObject } from "./strict";
import { EDGE_PARAM_DECIMAL_RE } from "../../domain/num/decimal-syntax";
import { ADL_PRICE_RULES, CONTRACT_TYPES, LIQUIDATION_CONVENTIONS } from "../../domain/vocabulary";

const Rate = z.string().regex(/^0(\.\d{1,18})?$/, "must be a decimal rate in [0, 1)");
const Param = z.string().regex(EDGE_PARAM_DECIMAL_RE, "must be a decimal string (no exponent notation)");
const Seed = z.union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().min(1).max(128)]).openapi({ description: "path i draws from (seed, i) only", example: 42 });

const Scenario = z
  .union([
    strictObject({ markPath: z.array(PositiveDecimal).min(1).max(limits.MAX_STEPS).openapi({ description: "the marks of steps 1..T (tick multiples)", example: ["9500", "9000", "8800"] }) }),
    strictObject({ shock: strictObject({ drop: Param.openapi({ description: "fraction of the mark, in (0, 1)", example: "0.25" }), steps: z.number().int().min(1).max(limits.MAX_STEPS).openapi({ description: "linear over this many steps; 1 = instantaneous", example: 10 }) }) }),
    strictObject({
      model: z.literal("gbm"),
      paths: z.number().int().min(1).max(limits.MAX_PATHS),
      steps: z.number().int().min(1).max(limits.MAX_STEPS),
      seed: Seed,
      sigma: Param.openapi({ description: "volatility per step", example: "0.01" }),
      drift: Param.optional().openapi({ description: "log drift per step, default 0", example: "0" }),
    }),
    strictObject({
      model: z.literal("garch"),
      paths: z.number().int().min(1).max(limits.MAX_PATHS),
      steps: z.number().int().min(1).max(limits.MAX_STEPS),
      seed: Seed,
      omega: Param.openapi({ example: "0.000002" }),
      alpha: Param.openapi({ example: "0.08" }),
      beta: Param.openapi({ example: "0.9" }),
      innovations: z.enum(["normal", "student-t"]).optional().openapi({ description: "default normal" }),
      degreesOfFreedom: z.number().gt(2).max(1000).optional().openapi({ description: "Student-t degrees of freedom, default 4 (scaled to unit variance)" }),
    }),
  ])
  .openapi("SimulationScenario", { description: "A given mark path, a linear shock, or Monte Carlo paths (stress.md section 3); the start is markPrice" });

const Impact = z
  .union([
    strictObject({ model: z.literal("none") }),
    strictObject({ model: z.literal("linear"), lambda: NonNegativeDecimal.openapi({ description: "price move per contract closed (Kyle 1985)", example: "0.5" }) }),
    strictObject({ model: z.literal("book"), depth: PositiveDecimal.openapi({ description: "contracts per unit price (Obizhaeva-Wang 2013)", example: "20" }), resilience: Param.openapi({ description: "decay rate of the displacement per step: exp(-resilience)", example: "0.3" }) }),
    strictObject({ model: z.literal("sqrt"), sigma: Param.openapi({ description: "daily volatility", example: "0.04" }), dailyVolume: PositiveDecimal.openapi({ description: "contracts per day", example: "500000" }), y: Param.openapi({ description: "of order 1", example: "1" }) }),
  ])
  .openapi("SimulationImpact", { description: "Market impact of forced closes (stress.md section 2)" });

export const SimulationRequest = strictObject({
    market: strictObject({
      contractType: z.enum(CONTRACT_TYPES),
      contractSize: PositiveDecimal,
      lotSize: PositiveDecimal,
      tickSize: PositiveDecimal.optional(),
      settlementAsset: z.string().regex(/^[A-Z0-9]{1,16}$/).optional().openapi({ description: "default USDT" }),
      amountDecimals: z.number().int().min(0).max(18).optional().openapi({ description: "decimals of the asset grid, default 8" }),
    }),
    markPrice: PositiveDecimal.openapi({ description: "the mark the book was taken at (step 0), a tick multiple", example: "10000" }),
    positions: z.array(Position).min(1).max(limits.MAX_POSITIONS).openapi({ description: `the book, one position per account, both sides (at most ${limits.MAX_POSITIONS})` }),
    fund: strictObject({
      balance: NonNegativeDecimal.openapi({ description: "starting insurance fund", example: "50000" }),
      floor: NonNegativeDecimal.optional(),
      adlTrigger: z.union([strictObject({ rule: z.literal("floor") }), strictObject({ rule: z.literal("drawdown"), windowMs: z.number().int().optional(), triggerRatio: PositiveDecimal, stopRatio: PositiveDecimal })]).optional(),
      maxDrawPerEvent: PositiveDecimal.optional(),
    }),
    liquidation: strictObject({
      maintenanceMarginRate: Rate.openapi({ example: "0.005" }),
      liquidationConvention: z.enum(LIQUIDATION_CONVENTIONS).optional(),
      liquidationFeeRate: Rate.optional(),
    }),
    scenario: Scenario,
    impact: Impact,
    policies: z.array(z.enum(COMPARE_CANDIDATES)).min(1).max(COMPARE_CANDIDATES.length).optional().openapi({ description: "default every policy of the compare route (queue:random only with a seeded scenario); all run on the same paths" }),
    priceRule: z.enum(ADL_PRICE_RULES).optional(),
    maxCascadeRounds: z.number().int().min(1).max(limits.MAX_ROUNDS).optional().openapi({ description: `cap on cascade rounds per step, default ${limits.DEFAULT_MAX_ROUNDS}` }),
    output: strictObject({ events: z.boolean().optional(), steps: z.boolean().optional() }).optional().openapi({ description: `per-path detail: default on for runs of at most ${limits.DEFAULT_DETAIL_MAX_PATHS} paths (events only within the event limits)` }),
})
  .openapi("SimulationRequest", {
    example: {
      market: { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.5" },
      markPrice: "10000",
      positions: [
        { accountId: "long-a", side: "long", size: "2", entryPrice: "10000", margin: "1000" },
        { accountId: "long-b", side: "long", size: "1", entryPrice: "9900", margin: "500" },
        { accountId: "short-a", side: "short", size: "2", entryPrice: "10200", margin: "4000" },
        { accountId: "short-b", side: "short", size: "1", entryPrice: "10050", margin: "2500" },
      ],
      fund: { balance: "300" },
      liquidation: { maintenanceMarginRate: "0.005" },
      scenario: { shock: { drop: "0.2", steps: 10 } },
      impact: { model: "linear", lambda: "20" },
      policies: ["queue:bitmex", "pro-rata"],
    },
  });

export const SimulationIdParam = z.object({
  simulationId: z.string().regex(/^sim_[0-9a-f-]{36}$/, "a simulation id as returned by POST /v1/simulations").openapi({ param: { name: "simulationId", in: "path" }, example: "sim_0b7e6f1e-4c2a-4a8e-9f0a-1d2c3b4a5f60" }),
});

const Quantiles = z.object({ p50: z.string().nullable(), p95: z.string().nullable(), p99: z.string().nullable(), p999: z.string().nullable() });

const Summary = z
  .object({
    paths: z.number().int(),
    fundNeeded: z.string().nullable().openapi({ description: "smallest starting fund on the asset grid with no ADL on every path (floor rule; the largest cumulative draw plus the floor); null when a per-event draw cap makes ADL unavoidable" }),
    fundNeededQuantiles: Quantiles.openapi({ description: "nearest-rank quantiles of the per-path need: the fund that avoids ADL with 50/95/99/99.9% confidence" }),
    fundMin: z.string(),
    fundDraw: z.string(),
    fundDrawQuantiles: Quantiles,
    adlQuantity: z.string(),
    adlQuantityQuantiles: Quantiles,
    adlFilledQuantity: z.string(),
    adlTransferred: z.string().openapi({ description: "what counterparties gave up against the prices the ADL pieces replaced: the PnL taken from winners (worst path)" }),
    socializedLoss: z.string(),
    socializedLossQuantiles: Quantiles,
    liquidatedQuantity: z.string(),
    liquidatedNotional: z.string(),
    liquidations: z.number().int(),
    accountsDeleveraged: z.number().int(),
    cascadeAmplification: z.string().nullable().openapi({ description: "price drop with impact / exogenous drop (worst path)" }),
    cascadeAmplificationQuantiles: Quantiles,
    slippagePerNotional: z.string().nullable(),
    minMark: z.string(),
    adlPaths: z.number().int(),
    adlProbability: z.string(),
    fundExhaustedPaths: z.number().int(),
    fundExhaustedProbability: z.string().openapi({ description: "share of paths on which the fund fell to its floor" }),
    maxCascadeRoundsUsed: z.number().int(),
    cascadeCapHits: z.number().int(),
    maxHaircutOfPnl: z.string().nullable().openapi({ description: "largest haircut as a share of a winner's uPnL (the comparison route's metric, per path over all its ADL events: each account's haircuts summed, against its uPnL at the first ADL event it stood against); worst path; null when no path had ADL" }),
    maxHaircutOfPnlQuantiles: Quantiles.openapi({ description: "nearest-rank quantiles over every path of maxHaircutOfPnl, a path where no winner gave counting 0" }),
    maxHaircutOfEquity: z.string().nullable().openapi({ description: "largest haircut as a share of an account's equity at the first ADL event it stood against (as maxHaircutOfPnl); worst path; null when no path had ADL" }),
    maxHaircutOfEquityQuantiles: Quantiles.openapi({ description: "nearest-rank quantiles over every path of maxHaircutOfEquity, a path where nobody gave counting 0" }),
    haircutGini: z.string().nullable().openapi({ description: "Gini coefficient of the haircuts over every account that stood against an ADL event of the path (the comparison route's metric; 0 = everyone gave the same); largest over paths; null when no path had ADL" }),
    haircutGiniQuantiles: Quantiles.openapi({ description: "nearest-rank quantiles over every path of haircutGini, a path without ADL counting 0" }),
  })
  .openapi("SimulationSummary", { description: "over paths: the worst path's figure, probabilities, nearest-rank quantiles; one path: that path's figures" });

export const SimulationResult = z
  .object({
    paths: z.number().int(),
    steps: z.number().int(),
    policies: z.array(
      z.object({
        policy: z.enum(COMPARE_CANDIDATES),
        summary: Summary,
        paths: z.array(z.record(z.string(), z.unknown())).optional().openapi({ description: "per path: totals, per-step series (steps[]) and events[] ({ step, request, fundBalanceAfter, ... }, request = the exact body of POST /v1/markets/{id}/liquidations)" }),
      }),
    ),
  })
  .openapi("SimulationResult");

export const SimulationStatus = z
  .object({
    simulationId: z.string(),
    status: z.enum(RUN_STATUSES),
    progress: z.object({ done: z.number().int(), total: z.number().int() }).openapi({ description: "paths computed and stored / paths" }),
    chunks: z.object({ done: z.number().int(), total: z.number().int() }),
    error: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    expiresAt: z.string().openapi({ description: `results are kept ${RESULT_RETENTION_MS / 86_400_000} days, then deleted` }),
    result: SimulationResult.optional(),
  })
  .openapi("Simulation");

export const SimulationListQuery = z.object({
  cursor: z.string().max(200).optional().openapi({ param: { name: "cursor", in: "query" } }),
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ param: { name: "limit", in: "query" }, example: 20 }),
});

export const SimulationList = z
  .object({ simulations: z.array(SimulationStatus.omit({ result: true })), nextCursor: z.string().nullable() })
  .openapi("SimulationList");
