/**
 * A stress run over paths [from, to): every policy on the same exogenous path, and the path's fund need.
 *
 * fundNeeded (floor rule): with the price path fixed, a run with no ADL is the same whatever the starting balance B
 * (every loss is paid, nothing else depends on B), so its balance is B + S_t with S_t the cumulative credits minus
 * draws; the fund pays event t in full exactly when B + S_t >= floor. The smallest B on the asset grid with no ADL is
 * therefore floor + max(0, max_t -S_t), exactly (amounts are already on the grid). S_t is read from a run that had no
 * ADL: the first policy's run when it had none, else a run from an unconstrained balance under the floor rule. When
 * even that run needs ADL (a per-event draw cap binds) no starting balance avoids ADL: fundNeeded is null.
 * A path with no ADL under its first policy has none under any (the policy only decides who is deleveraged), so the
 * other policies reuse that run: the result is the same, at a fraction of the cost.
 * Plain data in, result out; no I/O, no clock.
 */
import { Decimal } from "../num/decimal";
import type { CompareCandidate } from "../policies/compare";
import { exogenousPath } from "./paths";
import type { SimulationPlan } from "./request";
import { type PathRun, type PathTotals, simulatePath } from "./simulate-path";

/** A balance no simulated book can draw down: the unconstrained run of the fund-need computation. */
const UNCONSTRAINED = new Decimal("1e30");

export interface PathResult {
  path: number;
  /** null: no starting balance avoids ADL on this path (a per-event draw cap binds). */
  fundNeeded: string | null;
  /** Same order as plan.policies. */
  runs: PathRun[];
}

function needFrom(totals: PathTotals, floor: Decimal): string {
  const draw = new Decimal(totals.fundStart).minus(totals.fundMin);
  return floor.plus(Decimal.max(0, draw)).toFixed();
}

export function runPath(plan: SimulationPlan, path: number, detail: boolean): PathResult {
  const exo = exogenousPath(plan.scenario, plan.startTicks, path);
  const base = {
    book: plan.book,
    impact: plan.impact,
    priceRule: plan.priceRule,
    ...(plan.liquidationFeeRate === undefined ? {} : { liquidationFeeRate: plan.liquidationFeeRate }),
    ...(plan.seed === undefined ? {} : { seed: plan.seed }),
    maxRounds: plan.maxRounds,
    startBalance: plan.startBalance,
    recordEvents: detail && plan.output.events,
    recordSteps: detail && plan.output.steps,
    ...(plan.exact ? { exact: true } : {}),
  };
  const runs: PathRun[] = [];
  const first = simulatePath(exo, { ...base, policy: plan.policies[0]! });
  runs.push(first);
  const noAdl = first.totals.adlQuantity === "0";
  for (const policy of plan.policies.slice(1)) runs.push(noAdl ? reuse(first, policy, plan.seed) : simulatePath(exo, { ...base, policy }));

  let fundNeeded: string | null;
  if (noAdl && plan.book.config.trigger.rule === "floor") fundNeeded = needFrom(first.totals, plan.floorConfig.floor);
  else {
    const free = simulatePath(exo, { ...base, policy: plan.policies[0]!, config: plan.floorConfig, startBalance: UNCONSTRAINED, recordEvents: false, recordSteps: false });
    fundNeeded = free.totals.adlQuantity === "0" ? needFrom(free.totals, plan.floorConfig.floor) : null;
  }
  return { path, fundNeeded, runs };
}

/** The first policy's run seen under another policy's name: only the exported requests name the policy. */
function reuse(run: PathRun, to: CompareCandidate, seed: string | undefined): PathRun {
  if (!run.events) return run;
  const method = to.startsWith("queue:") ? (to.slice(6) as "bitmex" | "binance" | "hyperliquid" | "random") : undefined;
  const policy = method ? "queue" : (to as "pro-rata" | "capped-pro-rata" | "leverage-draining");
  return {
    ...run,
    events: run.events.map((e) => {
      const { method: _m, seed: _s, ...rest } = e.request;
      return { ...e, request: { ...rest, ...(method ? { method } : {}), policy, ...(method === "random" && seed !== undefined ? { seed } : {}) } };
    }),
  };
}

/** Paths [from, to). Detail (events, per-step series) is kept only for paths below `detailBelow`. */
export function runPaths(plan: SimulationPlan, from: number, to: number, detailBelow: number): PathResult[] {
  const out: PathResult[] = [];
  for (let p = from; p < to; p++) out.push(runPath(plan, p, p < detailBelow));
  return out;
}
