/**
 * Exogenous price paths (stress.md section 3), in tick units: element 0 is the starting mark, element t the mark the
 * market would reach at step t without any liquidation impact. The simulator multiplies in its impact and rounds to
 * the tick grid; model arithmetic is float64 (a model parameter is an approximation anyway), prices on the wire are
 * exact tick multiples.
 *
 * - markPath: a given path (a replayed event or a hand-made shock), exact.
 * - shock: a linear drop of `drop` (a fraction) over `steps` steps; steps = 1 is an instantaneous drop.
 * - gbm: geometric Brownian motion, per step r_t = drift - sigma^2/2 + sigma*z_t (so E[P_t/P_{t-1}] = e^drift).
 * - garch: GARCH(1,1) (Bollerslev 1986, J. Econometrics 31): r_t = sqrt(h_t)*z_t,
 *   h_{t+1} = omega + alpha*r_t^2 + beta*h_t, starting at the unconditional variance omega/(1 - alpha - beta);
 *   z_t normal or Student-t scaled to unit variance (fat tails).
 * Monte Carlo paths are seeded per path: path i from (seed, i) only (random.ts).
 * Plain data in, result out; no I/O, no clock.
 */
import { pathRandom, type PathRandom } from "./random";

export type Scenario =
  | { model: "markPath"; marksTicks: readonly number[] }
  | { model: "shock"; drop: number; steps: number }
  | { model: "gbm"; paths: number; steps: number; seed: string; sigma: number; drift: number }
  | { model: "garch"; paths: number; steps: number; seed: string; omega: number; alpha: number; beta: number; innovations: "normal" | "student-t"; degreesOfFreedom: number };

export function pathCount(s: Scenario): number {
  return s.model === "gbm" || s.model === "garch" ? s.paths : 1;
}

export function stepCount(s: Scenario): number {
  return s.model === "markPath" ? s.marksTicks.length : s.steps;
}

/** The exogenous path `pathIndex` in ticks, length steps + 1 (element 0 = start). */
export function exogenousPath(s: Scenario, startTicks: number, pathIndex: number): Float64Array {
  const n = stepCount(s);
  const out = new Float64Array(n + 1);
  out[0] = startTicks;
  switch (s.model) {
    case "markPath":
      for (let t = 1; t <= n; t++) out[t] = s.marksTicks[t - 1]!;
      return out;
    case "shock":
      for (let t = 1; t <= n; t++) out[t] = startTicks * (1 - (s.drop * t) / n);
      return out;
    case "gbm": {
      const rng = pathRandom(s.seed, pathIndex);
      const mu = s.drift - (s.sigma * s.sigma) / 2;
      for (let t = 1; t <= n; t++) out[t] = out[t - 1]! * Math.exp(mu + s.sigma * rng.normal());
      return out;
    }
    case "garch": {
      const rng = pathRandom(s.seed, pathIndex);
      const draw = innovation(rng, s);
      let h = s.omega / (1 - s.alpha - s.beta);
      for (let t = 1; t <= n; t++) {
        const r = Math.sqrt(h) * draw();
        out[t] = out[t - 1]! * Math.exp(r);
        h = s.omega + s.alpha * r * r + s.beta * h;
      }
      return out;
    }
  }
}

function innovation(rng: PathRandom, s: Extract<Scenario, { model: "garch" }>): () => number {
  if (s.innovations === "student-t") {
    const nu = s.degreesOfFreedom;
    return () => rng.studentT(nu);
  }
  return () => rng.normal();
}
