/**
 * The metrics' double screens (metrics.ts) never change a result: rank inversions and the Gini coefficient equal
 * their definitions computed with Decimals only, on values crowded with exact ties and near-ties (differences far
 * below a double's resolution) where the screens must hand over to the exact comparison.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal, ZERO } from "../../src/domain/num/decimal";
import { computeMetrics, gini, rankInversions, toDoubles } from "../../src/domain/policies/metrics";

/** Values on a few bases, each nudged by 0, +-1e-30 or +-1e-20: ties, near-ties and clear gaps. */
const valueArb = fc
  .record({ base: fc.constantFrom("-5", "0", "3", "3.5", "1000000.25", "-0.001"), nudge: fc.constantFrom("0", "1e-30", "-1e-30", "1e-20", "-1e-20") })
  .map(({ base, nudge }) => new Decimal(base).plus(nudge));

const caseArb = fc.integer({ min: 1, max: 24 }).chain((n) =>
  fc.record({
    pnl: fc.array(valueArb, { minLength: n, maxLength: n }),
    given: fc.array(valueArb, { minLength: n, maxLength: n }),
    touched: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
  }),
);

/** Pairs strictly ahead by uPnL before and strictly behind after (the definition, O(n^2)). */
function inversionsByDefinition(pnl: Decimal[], given: Decimal[], touched: boolean[]): number {
  const after = pnl.map((p, i) => (touched[i] ? p.minus(given[i]!) : p));
  let count = 0;
  for (let i = 0; i < pnl.length; i++) for (let j = 0; j < pnl.length; j++) if (pnl[i]!.gt(pnl[j]!) && after[i]!.lt(after[j]!)) count++;
  return count;
}

/** Gini of max(given, 0) over every account: sum over pairs |v_i - v_j| / (2 n^2 mean). */
function giniByDefinition(given: Decimal[], touched: boolean[]): Decimal {
  const v = given.map((g, i) => (touched[i] && g.gt(0) ? g : ZERO));
  const n = v.length;
  const sum = v.reduce((s, x) => s.plus(x), ZERO);
  if (sum.isZero()) return ZERO;
  let pairs = ZERO;
  for (const a of v) for (const b of v) pairs = pairs.plus(a.minus(b).abs());
  return pairs.div(sum.times(2 * n));
}

describe("metrics screens", () => {
  it("valid: rank inversions equal the pairwise definition under ties and near-ties", () => {
    fc.assert(
      fc.property(caseArb, ({ pnl, given, touched }) => {
        const g = given.map((x, i) => (touched[i] ? x : ZERO));
        expect(rankInversions(pnl, g, touched)).toBe(inversionsByDefinition(pnl, g, touched));
      }),
      { numRuns: 400 },
    );
  });

  it("valid: the Gini coefficient equals the pairwise definition", () => {
    fc.assert(
      fc.property(caseArb, ({ given, touched }) => {
        expect(gini(given, touched).minus(giniByDefinition(given, touched)).abs().lt("1e-100")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("valid: shared doubles (compare.ts) give the same metrics as doubles read per call", () => {
    fc.assert(
      fc.property(caseArb, ({ pnl, given, touched }) => {
        const g = given.map((x, i) => (touched[i] ? x : ZERO));
        const input = { neededBudget: new Decimal(1), pnl, equity: pnl.map((p) => p.plus(2)), given: g, touched };
        expect(computeMetrics({ ...input, pnlF: toDoubles(input.pnl), equityF: toDoubles(input.equity) })).toEqual(computeMetrics(input));
      }),
      { numRuns: 200 },
    );
  });
});
