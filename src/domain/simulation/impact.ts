/**
 * Market impact of forced closes (stress.md section 2), in tick units. A liquidation closing `q` contracts of a long
 * sells (`dir` = -1); of a short, buys (`dir` = +1). Each model answers the execution price of the close and how far
 * the mark moves; the simulator keeps the displacement as a log-multiplier on the exogenous path, so a later
 * exogenous move scales the displaced price (P_t = P_{t-1} * exp(r_t), P_{t-1} including impact).
 *
 * | model  | execution                          | mark after                 | source                                   |
 * | none   | at mark                            | unchanged                  | baseline                                 |
 * | linear | P + dir*lambda*q (whole order at   | P + dir*lambda*q, permanent| Kyle (1985), Econometrica 53(6)          |
 * |        | the post-trade price: conservative)|                            |                                          |
 * | book   | P + dir*q/(2D) (average over the   | P + dir*q/D; displacement  | Obizhaeva and Wang (2013), J. Financial  |
 * |        | block book walked)                 | decays exp(-resilience) per step | Markets 16(1)                      |
 * | sqrt   | P*(1 + dir*delta), post-trade      | same, permanent            | Almgren et al. (2005), Risk; Toth et al. |
 * |        | delta = Y*sigma*(sqrt((Q+q)/V) - sqrt(Q/V)), Q = forced volume on that side earlier in the step (one
 * |        | metaorder per step, so splitting a close into pieces does not change the total move)                   |
 * Plain data in, result out; no I/O, no clock.
 */

export type ImpactModel =
  | { model: "none" }
  | { model: "linear"; lambdaTicksPerContract: number }
  | { model: "book"; depthContractsPerTick: number; resilience: number }
  | { model: "sqrt"; sigma: number; dailyVolume: number; y: number };

export interface ImpactState {
  /** Forced volume (contracts) already sold (index 0) and bought (index 1) this step, for the sqrt metaorder. */
  stepVolume: [number, number];
}

export function newImpactState(): ImpactState {
  return { stepVolume: [0, 0] };
}

export interface ImpactResult {
  /** Execution price in ticks (float; the simulator rounds it against the liquidated account). */
  executionTicks: number;
  /** Price after the close, in ticks (float). */
  afterTicks: number;
}

/** The close of `q` contracts at price `p` (ticks) in direction `dir`. */
export function applyImpact(model: ImpactModel, state: ImpactState, p: number, q: number, dir: 1 | -1): ImpactResult {
  switch (model.model) {
    case "none":
      return { executionTicks: p, afterTicks: p };
    case "linear": {
      const after = p + dir * model.lambdaTicksPerContract * q;
      return { executionTicks: after, afterTicks: after };
    }
    case "book": {
      const d = model.depthContractsPerTick;
      return { executionTicks: p + (dir * q) / (2 * d), afterTicks: p + (dir * q) / d };
    }
    case "sqrt": {
      const k = dir === -1 ? 0 : 1;
      const before = state.stepVolume[k];
      const delta = model.y * model.sigma * (Math.sqrt((before + q) / model.dailyVolume) - Math.sqrt(before / model.dailyVolume));
      state.stepVolume[k] = before + q;
      const after = p * (1 + dir * delta);
      return { executionTicks: after, afterTicks: after };
    }
  }
}

/** Log-displacement carried into the next step: permanent models keep it, the block book decays it. */
export function carryDisplacement(model: ImpactModel, logDisplacement: number): number {
  return model.model === "book" ? logDisplacement * Math.exp(-model.resilience) : logDisplacement;
}
