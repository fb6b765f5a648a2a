/**
 * The stress lab's seeded randomness, price paths and impact models (src/domain/simulation/random.ts, paths.ts,
 * impact.ts): determinism per (seed, path), the distributions' moments, each path model's defining recursion, and
 * each impact model's formula.
 */
import { describe, expect, it } from "vitest";
import { applyImpact, carryDisplacement, newImpactState } from "../../src/domain/simulation/impact";
import { type Scenario, exogenousPath } from "../../src/domain/simulation/paths";
import { pathRandom } from "../../src/domain/simulation/random";

function moments(xs: number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  const kurt = xs.reduce((a, b) => a + (b - mean) ** 4, 0) / xs.length / variance ** 2;
  return { mean, variance, kurt };
}

describe("pathRandom", () => {
  it("valid: path i draws the same numbers from (seed, i) whatever else ran", () => {
    const a = pathRandom("s1", 7);
    const seqA = Array.from({ length: 50 }, () => a.uniform());
    pathRandom("s1", 3).uniform(); // another path in between changes nothing
    const b = pathRandom("s1", 7);
    expect(Array.from({ length: 50 }, () => b.uniform())).toEqual(seqA);
  });

  it("valid: different paths and different seeds give different streams", () => {
    const first = (seed: string, i: number) => pathRandom(seed, i).uniform();
    const values = new Set([first("s", 0), first("s", 1), first("s", 2), first("t", 0), first("t", 1)]);
    expect(values.size).toBe(5);
  });

  it("valid: uniforms lie in (0, 1) with mean 1/2 and variance 1/12", () => {
    const r = pathRandom("u", 0);
    const xs = Array.from({ length: 40_000 }, () => r.uniform());
    expect(Math.min(...xs)).toBeGreaterThan(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const m = moments(xs);
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(0.003);
  });

  it("valid: normals have mean 0, variance 1, kurtosis 3", () => {
    const r = pathRandom("n", 1);
    const m = moments(Array.from({ length: 40_000 }, () => r.normal()));
    expect(Math.abs(m.mean)).toBeLessThan(0.03);
    expect(Math.abs(m.variance - 1)).toBeLessThan(0.04);
    expect(Math.abs(m.kurt - 3)).toBeLessThan(0.2);
  });

  it("valid: Student-t is scaled to unit variance and has fat tails (nu = 6: excess kurtosis 3)", () => {
    const r = pathRandom("t", 2);
    const m = moments(Array.from({ length: 80_000 }, () => r.studentT(6)));
    expect(Math.abs(m.mean)).toBeLessThan(0.03);
    expect(Math.abs(m.variance - 1)).toBeLessThan(0.06);
    expect(m.kurt).toBeGreaterThan(4.5);
  });
});

describe("exogenousPath", () => {
  it("valid: a given markPath is returned exactly after the start", () => {
    const s: Scenario = { model: "markPath", marksTicks: [100, 90, 95] };
    expect(Array.from(exogenousPath(s, 101, 0))).toEqual([101, 100, 90, 95]);
  });

  it("valid: a shock drops linearly to (1 - drop) of the start over its steps", () => {
    const p = exogenousPath({ model: "shock", drop: 0.25, steps: 4 }, 1000, 0);
    expect(Array.from(p)).toEqual([1000, 937.5, 875, 812.5, 750]);
  });

  it("valid: gbm log returns have mean drift - sigma^2/2 and sd sigma", () => {
    const s: Scenario = { model: "gbm", paths: 1, steps: 20_000, seed: "g", sigma: 0.02, drift: 0.001 };
    const p = exogenousPath(s, 1e6, 0);
    const r = Array.from({ length: 20_000 }, (_, t) => Math.log(p[t + 1]! / p[t]!));
    const m = moments(r);
    expect(Math.abs(m.mean - (0.001 - 0.0002))).toBeLessThan(0.0004);
    expect(Math.abs(Math.sqrt(m.variance) - 0.02)).toBeLessThan(0.0005);
    expect(Array.from(exogenousPath(s, 1e6, 0))).toEqual(Array.from(p));
  });

  it("valid: garch returns follow h_{t+1} = omega + alpha r_t^2 + beta h_t from the unconditional variance", () => {
    const s: Scenario = { model: "garch", paths: 1, steps: 30_000, seed: "h", omega: 0.00001, alpha: 0.1, beta: 0.85, innovations: "normal", degreesOfFreedom: 4 };
    const p = exogenousPath(s, 1e6, 3);
    const r = Array.from({ length: 30_000 }, (_, t) => Math.log(p[t + 1]! / p[t]!));
    // Standardised by the recursion, the returns are unit normals: the recursion is what generated them.
    let h = 0.00001 / 0.05;
    const z = r.map((x) => {
      const v = x / Math.sqrt(h);
      h = 0.00001 + 0.1 * x * x + 0.85 * h;
      return v;
    });
    const m = moments(z);
    expect(Math.abs(m.variance - 1)).toBeLessThan(0.04);
    expect(Math.abs(m.kurt - 3)).toBeLessThan(0.25);
    // Volatility clustering: squared returns are autocorrelated (they are not under constant variance).
    const sq = r.map((x) => x * x);
    const mean = sq.reduce((a, b) => a + b, 0) / sq.length;
    let num = 0;
    let den = 0;
    for (let t = 0; t < sq.length; t++) {
      den += (sq[t]! - mean) ** 2;
      if (t > 0) num += (sq[t]! - mean) * (sq[t - 1]! - mean);
    }
    expect(num / den).toBeGreaterThan(0.1);
  });

  it("valid: student-t garch innovations have fatter tails than normal ones", () => {
    const base = { model: "garch", paths: 1, steps: 20_000, seed: "k", omega: 0.00001, alpha: 0.0, beta: 0.0 } as const;
    const kurt = (innovations: "normal" | "student-t") => {
      const p = exogenousPath({ ...base, innovations, degreesOfFreedom: 5 }, 1e6, 0);
      return moments(Array.from({ length: 20_000 }, (_, t) => Math.log(p[t + 1]! / p[t]!))).kurt;
    };
    expect(kurt("student-t")).toBeGreaterThan(kurt("normal") + 1);
  });
});

describe("impact models", () => {
  it("valid: none executes at mark and moves nothing", () => {
    expect(applyImpact({ model: "none" }, newImpactState(), 1000, 5, -1)).toEqual({ executionTicks: 1000, afterTicks: 1000 });
  });

  it("valid: linear moves the mark lambda per contract and executes at the moved price", () => {
    const m = { model: "linear", lambdaTicksPerContract: 2 } as const;
    expect(applyImpact(m, newImpactState(), 1000, 5, -1)).toEqual({ executionTicks: 990, afterTicks: 990 });
    expect(applyImpact(m, newImpactState(), 1000, 5, 1)).toEqual({ executionTicks: 1010, afterTicks: 1010 });
  });

  it("valid: book executes at the average P - q/(2D), moves q/D, and the move decays exp(-rho) per step", () => {
    const m = { model: "book", depthContractsPerTick: 2, resilience: Math.log(2) } as const;
    expect(applyImpact(m, newImpactState(), 1000, 10, -1)).toEqual({ executionTicks: 997.5, afterTicks: 995 });
    expect(carryDisplacement(m, -0.2)).toBeCloseTo(-0.1, 12);
    expect(carryDisplacement({ model: "linear", lambdaTicksPerContract: 1 }, -0.2)).toBe(-0.2);
  });

  it("valid: sqrt moves Y*sigma*sqrt(q/V) relatively; closes within a step add up as one metaorder", () => {
    const m = { model: "sqrt", sigma: 0.05, dailyVolume: 10_000, y: 1 } as const;
    const one = applyImpact(m, newImpactState(), 1000, 100, -1);
    expect(one.afterTicks).toBeCloseTo(1000 * (1 - 0.05 * Math.sqrt(0.01)), 9);
    const st = newImpactState();
    const a = applyImpact(m, st, 1000, 40, -1);
    const b = applyImpact(m, st, a.afterTicks, 60, -1);
    // Relative moves compose multiplicatively; the total relative move equals the single close's to first order.
    expect(1 - b.afterTicks / 1000).toBeCloseTo(1 - one.afterTicks / 1000, 3);
    expect(st.stepVolume).toEqual([100, 0]);
  });
});
