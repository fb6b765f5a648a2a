/**
 * The stress lab's haircut figures (src/domain/simulation/haircuts.ts): the comparison route's metrics over every ADL
 * event of a path. A small book computed by hand; a property that each path's figures equal computeMetrics run on
 * that path's exported events (counterparties as they stood, fills as recorded), rebuilt here from the requests alone;
 * the summary's worst path and quantiles (a path without ADL counting 0).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal, ZERO } from "../../src/domain/num/decimal";
import { parseMarket } from "../../src/domain/market";
import { computeMetrics } from "../../src/domain/policies/metrics";
import { haircutPerContract } from "../../src/domain/policies/spec/common";
import { COMPARE_CANDIDATES } from "../../src/domain/policies/compare";
import { equityAt, parsePosition, unrealizedPnl } from "../../src/domain/position";
import { type SimulationInput, parseSimulation, runPaths, summarize } from "../../src/domain/simulation";
import { sideSign } from "../../src/domain/vocabulary";

const market = { contractType: "linear" as const, contractSize: "1", lotSize: "1", tickSize: "0.5", amountDecimals: 2 };

/**
 * Two longs liquidated at two marks with an empty fund: L0 at 9400 (bankruptcy 9500), L1 at 9000 (bankruptcy 9200),
 * 10 contracts of ADL each at the bankruptcy price, so each contract a short closes gives up 100, then 200, against
 * mark. Shorts at 9400 (the first ADL event, where they are measured): S0 20 @ 10000 (uPnL 12000, equity 32000),
 * S1 10 @ 9800 (4000, 28500), S2 10 @ 8800 (a loser: -6000, 11600).
 */
const handBook: SimulationInput = {
  market,
  markPrice: "10000",
  positions: [
    { accountId: "L0", side: "long", size: "10", entryPrice: "10000", margin: "5000" },
    { accountId: "L1", side: "long", size: "10", entryPrice: "10000", margin: "8000" },
    { accountId: "S0", side: "short", size: "20", entryPrice: "10000", margin: "20000" },
    { accountId: "S1", side: "short", size: "10", entryPrice: "9800", margin: "24500" },
    { accountId: "S2", side: "short", size: "10", entryPrice: "8800", margin: "17600" },
  ],
  fund: { balance: "0" },
  liquidation: { maintenanceMarginRate: "0.005" },
  scenario: { markPath: ["9400", "9000"] },
  impact: { model: "none" },
  policies: ["pro-rata", "queue:bitmex"],
  output: { events: true, steps: false },
};

function run(i: SimulationInput) {
  const plan = parseSimulation(i);
  return summarize(plan, runPaths(plan, 0, plan.paths, plan.paths), plan.paths);
}

/** The figures from a path's exported events alone: each account measured at the first ADL request listing it. */
function fromEvents(events: readonly { adlQuantity: string; request: any; fills: readonly { accountId: string; quantity: string; price: string }[] }[]) {
  const m = parseMarket(market);
  const slot = new Map<string, number>();
  const pnl: Decimal[] = [];
  const equity: Decimal[] = [];
  const given: Decimal[] = [];
  const touched: boolean[] = [];
  const sideOf = new Map<string, "long" | "short">();
  let any = false;
  for (const e of events) {
    if (e.adlQuantity === "0") continue;
    any = true;
    const mark = new Decimal(e.request.markPrice);
    e.request.counterparties.forEach((c: any, k: number) => {
      if (slot.has(c.accountId)) return;
      const p = parsePosition(c, m, `/counterparties/${k}`);
      slot.set(c.accountId, pnl.length);
      sideOf.set(c.accountId, c.side);
      pnl.push(unrealizedPnl(m, p, mark));
      equity.push(equityAt(m, p, mark));
      given.push(ZERO);
      touched.push(false);
    });
    for (const f of e.fills) {
      const k = slot.get(f.accountId)!;
      given[k] = given[k]!.plus(haircutPerContract(m, sideSign(sideOf.get(f.accountId)!), mark, new Decimal(f.price)).times(f.quantity));
      touched[k] = true;
    }
  }
  if (!any) return { maxHaircutOfPnl: null, maxHaircutOfEquity: null, haircutGini: null };
  const r = computeMetrics({ neededBudget: ZERO, pnl, equity, given, touched });
  return { maxHaircutOfPnl: r.maxHaircutOfPnl, maxHaircutOfEquity: r.maxHaircutOfEquity, haircutGini: r.gini };
}

describe("stress lab haircut figures", { timeout: 120_000 }, () => {
  it("valid: a hand-computed book (pro-rata and queue:bitmex over two ADL events at two marks)", () => {
    const res = run(handBook);
    const [proRata, bitmex] = res.policies;
    // pro-rata: event 1 (10 of 40 lots at h = 100) S0 5, S1 3, S2 2 (S1 before S2: equal remainders, accountId);
    // event 2 (10 of 30 at h = 200) S0 5, S1 2, S2 3 (S2's remainder 2/3 is the largest). Given S0 1500, S1 700,
    // S2 800: of uPnL 1500/12000 = 0.125, 700/4000 = 0.175 (S2 is no winner); of equity 0.046875, 0.0245614,
    // 800/11600 = 0.0689655172; Gini of (700, 800, 1500) = 2*(700 + 1600 + 4500)/(3*3000) - 4/3 = 0.1777...
    expect(proRata!.paths![0]!.events!.map((e) => e.fills.map((f) => `${f.accountId}:${f.quantity}`).join(" "))).toEqual(["S0:5 S1:3 S2:2", "S0:5 S1:2 S2:3"]);
    expect(proRata!.paths![0]!.totals).toMatchObject({ maxHaircutOfPnl: "0.175", maxHaircutOfEquity: "0.06896552", haircutGini: "0.17777778" });
    expect(proRata!.summary).toMatchObject({ maxHaircutOfPnl: "0.175", maxHaircutOfEquity: "0.06896552", haircutGini: "0.17777778" });
    // queue:bitmex: S0 (ranked first) closes 10 at each event, gives 1000 + 2000 = 3000: 3000/12000 = 0.25 of its
    // uPnL, 3000/32000 = 0.09375 of equity; Gini of (0, 0, 3000) = 2*3*3000/(3*3000) - 4/3 = 2/3.
    expect(bitmex!.paths![0]!.events!.map((e) => e.fills.map((f) => `${f.accountId}:${f.quantity}`).join(" "))).toEqual(["S0:10", "S0:10"]);
    expect(bitmex!.paths![0]!.totals).toMatchObject({ maxHaircutOfPnl: "0.25", maxHaircutOfEquity: "0.09375", haircutGini: "0.66666667" });
  });

  it("valid: a path without ADL has no haircut figures (null), and counts 0 in the quantiles", () => {
    // The same book on a mild path: nothing is liquidated.
    const res = run({ ...handBook, scenario: { markPath: ["9990", "9980"] } });
    for (const p of res.policies) {
      expect(p.paths![0]!.totals).toMatchObject({ maxHaircutOfPnl: null, maxHaircutOfEquity: null, haircutGini: null });
      expect(p.summary).toMatchObject({ maxHaircutOfPnl: null, maxHaircutOfEquity: null, haircutGini: null });
      expect(p.summary.haircutGiniQuantiles).toEqual({ p50: "0", p95: "0", p99: "0", p999: "0" });
    }
    // Over many paths with a few ADL paths: the worst is the largest per-path figure, the quantiles count 0 for the
    // paths without ADL (nearest rank over every path).
    const plan = parseSimulation({ ...handBook, scenario: { model: "gbm", paths: 40, steps: 20, seed: 3, sigma: "0.01" }, output: { events: false, steps: false } });
    const paths = runPaths(plan, 0, plan.paths, 0);
    const s = summarize(plan, paths, 0);
    plan.policies.forEach((_, k) => {
      const per = paths.map((r) => r.runs[k]!.totals.maxHaircutOfPnl);
      const present = per.filter((v): v is string => v !== null).map(Number);
      const summary = s.policies[k]!.summary;
      expect(summary.maxHaircutOfPnl === null ? null : Number(summary.maxHaircutOfPnl)).toBe(present.length === 0 ? null : Math.max(...present));
      const sorted = per.map((v) => Number(v ?? 0)).sort((a, b) => a - b);
      expect(Number(summary.maxHaircutOfPnlQuantiles.p50)).toBe(sorted[Math.ceil(0.5 * sorted.length) - 1]);
      expect(Number(summary.maxHaircutOfPnlQuantiles.p999)).toBe(sorted[sorted.length - 1]);
    });
  });

  it("valid: each path's figures equal computeMetrics on that path's exported events (random books, every policy)", () => {
    const posArb = fc.record({ size: fc.integer({ min: 1, max: 30 }), entry: fc.integer({ min: 18_000, max: 22_000 }), lev: fc.integer({ min: 2, max: 40 }) });
    const bookArb = fc.record({ longs: fc.array(posArb, { minLength: 1, maxLength: 10 }), shorts: fc.array(posArb, { minLength: 1, maxLength: 10 }) });
    const moveArb = fc.array(fc.integer({ min: -800, max: 500 }), { minLength: 1, maxLength: 20 });
    let withAdl = 0;
    fc.assert(
      fc.property(bookArb, moveArb, fc.constantFrom("0", "200"), fc.constantFrom<"bankruptcy" | "mark">("bankruptcy", "mark"), fc.option(fc.integer({ min: 0, max: 1000 })), (b, moves, balance, priceRule, gbmSeed) => {
        const mk = (side: "long" | "short", prefix: string) => (p: { size: number; entry: number; lev: number }, k: number) => ({
          accountId: `${prefix}${k}`,
          side,
          size: String(p.size),
          entryPrice: new Decimal(p.entry).div(2).toFixed(),
          margin: new Decimal(p.size * p.entry).div(2 * p.lev).toDecimalPlaces(2, Decimal.ROUND_UP).toFixed(),
        });
        let mark = 20_000;
        const markPath = moves.map((d) => new Decimal((mark = Math.max(2, mark + d))).div(2).toFixed());
        const res = run({
          ...handBook,
          positions: [...b.longs.map(mk("long", "L")), ...b.shorts.map(mk("short", "S"))],
          fund: { balance },
          // A seeded scenario (one GBM path) also runs queue:random; a given path runs every other policy.
          scenario: gbmSeed === null ? { markPath } : { model: "gbm", paths: 1, steps: 20, seed: gbmSeed, sigma: "0.03", drift: "-0.01" },
          impact: { model: "linear", lambda: "2" },
          priceRule,
          policies: gbmSeed === null ? COMPARE_CANDIDATES.filter((c) => c !== "queue:random") : [...COMPARE_CANDIDATES],
        });
        for (const p of res.policies) {
          const path = p.paths![0]!;
          const { maxHaircutOfPnl, maxHaircutOfEquity, haircutGini } = path.totals;
          expect({ maxHaircutOfPnl, maxHaircutOfEquity, haircutGini }).toEqual(fromEvents(path.events!));
          if (haircutGini !== null) withAdl++;
        }
      }),
      { numRuns: 40 },
    );
    // The property is not vacuous: most random books here reach ADL.
    expect(withAdl).toBeGreaterThan(40);
  });
});
