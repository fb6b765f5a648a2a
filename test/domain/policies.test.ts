import { describe, expect, it } from "vitest";
import { planAdl } from "../../src/domain/adl";
import { Decimal } from "../../src/domain/num/decimal";
import { parseMarket } from "../../src/domain/market";
import type { PolicyInput } from "../../src/domain/policies";
import { cappedProRata, leverageDraining, proRata } from "./wire-plans";
import { comparePolicies } from "../../src/domain/policies/compare";
import { gini, rankInversions } from "../../src/domain/policies/metrics";
import { parsePosition } from "../../src/domain/position";
import type { PositionInput } from "../../src/domain/types";
import { domainIssues } from "./helpers";

const d = (s: string | number) => new Decimal(s);
const rawMarket = { contractType: "linear" as const, contractSize: "1", lotSize: "1", tickSize: "0.5" };
const market = parseMarket(rawMarket);
const longs: PositionInput[] = [
  { accountId: "a", side: "long", size: "10", entryPrice: "8000", margin: "8000" },
  { accountId: "b", side: "long", size: "20", entryPrice: "9000", margin: "18000" },
  { accountId: "c", side: "long", size: "5", entryPrice: "11000", margin: "600" },
];
const input = (quantity: string, price: string, mark: string, cps: PositionInput[] = longs): PolicyInput => ({
  market,
  liquidatedSide: "short",
  quantity: d(quantity),
  price: d(price),
  mark: d(mark),
  counterparties: cps.map((c, i) => parsePosition(c, market, `/counterparties/${i}`)),
});
const qty = (plan: { fills: { accountId: string; quantity: string }[] }) => Object.fromEntries(plan.fills.map((f) => [f.accountId, f.quantity]));

describe("pro-rata", () => {
  it("valid: 20 of 35 contracts: exact shares 5.71, 11.43, 2.86; floors 5, 11, 2; the 2 leftover lots to c (.86) then a (.71)", () => {
    const plan = proRata(input("20", "10050", "10100"));
    expect(qty(plan)).toEqual({ a: "6", b: "11", c: "3" });
    expect(plan.fills.map((f) => f.accountId)).toEqual(["a", "b", "c"]);
    expect([plan.filledQuantity, plan.unfilledQuantity]).toEqual(["20", "0"]);
    // a realises (10050 - 8000) * 6.
    expect(plan.fills[0]).toEqual({ accountId: "a", quantity: "6", price: "10050", realizedPnl: "12300", remainingSize: "4" });
  });

  it("valid: more than the side holds closes everyone and reports the rest", () => {
    const plan = proRata(input("40", "10050", "10100"));
    expect(qty(plan)).toEqual({ a: "10", b: "20", c: "5" });
    expect([plan.filledQuantity, plan.unfilledQuantity]).toEqual(["35", "5"]);
  });

  it("valid: ties in the fractional part go to the smaller accountId", () => {
    const same = ["z", "y", "x"].map((id) => ({ accountId: id, side: "long" as const, size: "1", entryPrice: "9000", margin: "9000" }));
    expect(qty(proRata(input("2", "10050", "10100", same)))).toEqual({ x: "1", y: "1" });
  });
});

describe("capped-pro-rata", () => {
  // Short bankrupt at BP 10050, mark 10100: every long gives up h = 50 per contract against mark.
  it("valid: shares in proportion to positive PnL (a 21000, b 22000; c loses and gives nothing)", () => {
    const plan = cappedProRata(input("20", "10050", "10100"));
    // t*21000 + t*22000 = 20: a 9.77, b 10.23 -> floors 9, 10, the leftover lot to a.
    expect(qty(plan)).toEqual({ a: "10", b: "10" });
  });

  it("valid: a winner saturates at its size, the next at its PnL (principal untouched), then the rest is unfilled", () => {
    const cps: PositionInput[] = [
      { accountId: "a", side: "long", size: "10", entryPrice: "8000", margin: "8000" }, // PnL 21000, cap 10 contracts
      { accountId: "d", side: "long", size: "100", entryPrice: "10090", margin: "100000" }, // PnL 1000, cap 1000/50 = 20
    ];
    expect(qty(cappedProRata(input("25", "10050", "10100", cps)))).toEqual({ a: "10", d: "15" });
    const short = cappedProRata(input("35", "10050", "10100", cps));
    expect(qty(short)).toEqual({ a: "10", d: "20" });
    expect([short.filledQuantity, short.unfilledQuantity]).toEqual(["30", "5"]);
  });

  it("valid: cap in lots is floored (PnL 1020 at h 50 allows 20 contracts, not 20.4)", () => {
    const cps: PositionInput[] = [{ accountId: "d", side: "long", size: "100", entryPrice: "10089.8", margin: "100000" }];
    const plan = cappedProRata(input("30", "10050", "10100", cps));
    expect([plan.filledQuantity, plan.unfilledQuantity]).toEqual(["20", "10"]);
  });

  it("valid: at mark (no haircut) only the positions cap, still in proportion to PnL", () => {
    expect(qty(cappedProRata(input("20", "10100", "10100")))).toEqual({ a: "10", b: "10" });
    expect(cappedProRata(input("40", "10100", "10100")).unfilledQuantity).toBe("10");
  });
});

describe("leverage-draining", () => {
  it("valid: c (equity < 0) first and fully, then b and a cut to one leverage", () => {
    // Equity at 10000: a 28000, b 38000, c -4400. After c's 5, 15 remain: mu = (20 + 10 - 15) / 66000, so b keeps
    // 8.64 and a 6.36: shares 11.36 and 3.64 -> 11 and 3, the leftover lot to a (.64).
    const plan = leverageDraining(input("20", "10050", "10000"));
    expect(plan.fills.map((f) => [f.accountId, f.quantity])).toEqual([
      ["c", "5"],
      ["b", "11"],
      ["a", "4"],
    ]);
  });

  it("valid: only the most leveraged is touched while it stays above the next", () => {
    // b: 20/38000 = 5.26e-4, a: 10/28000 = 3.57e-4. 2 contracts from b leave 18/38000 = 4.7e-4 > a's.
    const cps = longs.slice(0, 2);
    expect(qty(leverageDraining(input("2", "10050", "10000", cps)))).toEqual({ b: "2" });
  });

  it("valid: accounts past bankruptcy share by size when they alone hold more than the quantity", () => {
    const broke: PositionInput[] = [
      { accountId: "p", side: "long", size: "3", entryPrice: "11000", margin: "100" },
      { accountId: "q", side: "long", size: "1", entryPrice: "11000", margin: "100" },
      longs[0]!,
    ];
    expect(qty(leverageDraining(input("2", "10050", "10000", broke)))).toEqual({ p: "2" });
  });
});

describe("planAdl with a policy", () => {
  const req = { market: rawMarket, markPrice: "10100", liquidated: { side: "short" as const, size: "20", bankruptcyPrice: "10050" }, counterparties: longs };

  it("valid: default policy is the queue, unchanged", () => {
    const plan = planAdl({ ...req, method: "bitmex" });
    expect(plan.fills.map((f) => f.accountId)).toEqual(["a", "b"]);
  });

  it("valid: pro-rata ignores the method and reports every counterparty as reached", () => {
    const plan = planAdl({ ...req, policy: "pro-rata" });
    expect(qty(plan)).toEqual({ a: "6", b: "11", c: "3" });
    expect(plan.queueReached).toBe(3);
    expect(plan.bankruptcyPrice).toBe("10050");
  });

  it("invalid: the queue without a method; counterparties on the wrong side or twice", () => {
    expect(domainIssues(() => planAdl(req)).map((i) => [i.pointer, i.code])).toEqual([["/method", "method_required"]]);
    const bad = [...longs, { ...longs[0]!, side: "short" as const, accountId: "s" }, longs[1]!];
    expect(domainIssues(() => planAdl({ ...req, policy: "capped-pro-rata", counterparties: bad })).map((i) => [i.pointer, i.code])).toEqual([
      ["/counterparties/3/side", "wrong_side"],
      ["/counterparties/4/accountId", "duplicate_account"],
    ]);
  });

  it("invalid: a bad counterparty field is named by pointer", () => {
    const bad = [{ ...longs[0]!, size: "1.5" }];
    expect(domainIssues(() => planAdl({ ...req, policy: "leverage-draining", counterparties: bad }))[0]).toMatchObject({ pointer: "/counterparties/0/size", code: "not_lot_multiple" });
  });

  it("invalid: the queue refuses a computed bankruptcy price the wire cannot carry (over 40 digits), as when it re-read it as a string; pro-rata fills at it", () => {
    const huge = {
      market: { contractType: "linear" as const, contractSize: "0.00000001", lotSize: "0.00000001", tickSize: "1" },
      markPrice: "100",
      // BP = E + M/(Q*K) = 100 + 10^39 / 10^-16: 56 digits.
      liquidated: { accountId: "x", side: "short" as const, size: "0.00000001", entryPrice: "100", margin: "1" + "0".repeat(39) },
      counterparties: [{ accountId: "c", side: "long" as const, size: "1", entryPrice: "100", margin: "10" }],
    };
    expect(domainIssues(() => planAdl({ ...huge, method: "bitmex" }))).toEqual([{ pointer: "/liquidated/bankruptcyPrice", code: "too_many_digits", message: "more than 40 significant digits" }]);
    expect(planAdl({ ...huge, policy: "pro-rata" }).bankruptcyPrice).toHaveLength(56);
  });
});

describe("metrics", () => {
  it("valid: Gini of [0, 0, 3] is 2/3; of equal haircuts 0", () => {
    expect(gini([d(0), d(0), d(3)], [false, false, true]).toFixed(8)).toBe("0.66666667");
    expect(gini([d(2), d(2)], [true, true]).isZero()).toBe(true);
    expect(gini([d(0), d(0)], [false, false]).isZero()).toBe(true);
  });

  it("valid: rank inversions count pairs strictly reordered by the haircuts", () => {
    // before 3 > 2 > 1, after 0, 2, 1: (first, second) and (first, third) flip; ties never count.
    expect(rankInversions([d(3), d(2), d(1)], [d(3), d(0), d(0)], [true, false, false])).toBe(2);
    expect(rankInversions([d(3), d(2)], [d(1), d(0)], [true, false])).toBe(0);
    expect(rankInversions([d(3), d(2)], [d(1), d(0)], [true, false])).toBe(0);
    expect(rankInversions([d(2), d(2)], [d(1), d(0)], [true, false])).toBe(0);
  });
});

describe("comparePolicies", () => {
  const req = {
    market: rawMarket,
    markPrice: "10100",
    liquidated: [
      { side: "short" as const, size: "20", bankruptcyPrice: "10050" },
      { side: "short" as const, size: "5", bankruptcyPrice: "10000" },
    ],
    counterparties: longs,
  };

  it("valid: two bankrupt shorts as one event; the queue continues where the first stopped", () => {
    const out = comparePolicies({ ...req, policies: ["queue:bitmex"] });
    // Needed: 20*(10100-10050) + 5*(10100-10000) = 1500.
    expect(out.neededBudget).toBe("1500");
    const r = out.results[0]!;
    expect(r.events!.map((e) => e.fills.map((f) => [f.accountId, f.quantity, f.remainingSize]))).toEqual([
      [
        ["a", "10", "0"],
        ["b", "10", "10"],
      ],
      [["b", "5", "5"]],
    ]);
    expect(r.accounts).toEqual([
      { accountId: "a", quantity: "10", given: "500", pnl: "21000", haircutOfPnl: "0.02380952", haircutOfEquity: "0.01724138" },
      { accountId: "b", quantity: "15", given: "1000", pnl: "22000", haircutOfPnl: "0.04545455", haircutOfEquity: "0.025" },
    ]);
    // Haircuts [500, 1000, 0] over 3 accounts: G = 2*(2*500 + 3*1000)/(3*1500) - 4/3 = 4/9.
    expect(r.metrics).toEqual({
      neededBudget: "1500",
      totalGiven: "1500",
      overshoot: "0",
      maxHaircutOfPnl: "0.04545455",
      maxHaircutOfEquity: "0.025",
      principalTouched: 0,
      accountsTouched: 2,
      gini: "0.44444444",
      rankInversions: 0,
    });
  });

  it("valid: pro-rata touches the loser c (principal), capped-pro-rata never does", () => {
    const out = comparePolicies({ ...req, policies: ["pro-rata", "capped-pro-rata"], detail: "metrics" });
    expect(out.results.map((r) => [r.policy, r.metrics.principalTouched, r.metrics.accountsTouched])).toEqual([
      ["pro-rata", 1, 3],
      ["capped-pro-rata", 0, 2],
    ]);
    expect(out.results[0]!.events).toBeUndefined();
  });

  it("valid: filling at mark gives nothing against mark: overshoot is minus the needed budget", () => {
    const out = comparePolicies({ ...req, priceRule: "mark", policies: ["pro-rata"] });
    expect(out.results[0]!.metrics).toMatchObject({ totalGiven: "0", overshoot: "-1500", gini: "0" });
  });

  it("valid: for one bankrupt position every policy's fills are what planAdl plans with that policy", () => {
    const one = { ...req, liquidated: [req.liquidated[0]!] };
    const out = comparePolicies({ ...one, policies: ["queue:bitmex", "pro-rata", "capped-pro-rata", "leverage-draining"] });
    const plan = (policy: "queue" | "pro-rata" | "capped-pro-rata" | "leverage-draining") =>
      planAdl({ market: rawMarket, markPrice: "10100", method: "bitmex", policy, liquidated: one.liquidated[0]!, counterparties: longs }).fills;
    expect(out.results.map((r) => r.events![0]!.fills)).toEqual([plan("queue"), plan("pro-rata"), plan("capped-pro-rata"), plan("leverage-draining")]);
  });

  it("valid: default candidates leave out queue:random unless a seed is given", () => {
    expect(comparePolicies(req).results.map((r) => r.policy)).toEqual(["queue:bitmex", "queue:binance", "queue:hyperliquid", "pro-rata", "capped-pro-rata", "leverage-draining"]);
    expect(comparePolicies({ ...req, seed: "s" }).results.map((r) => r.policy)).toContain("queue:random");
  });

  it("invalid: more bankrupt positions times counterparties than one comparison takes", () => {
    const many = Array.from({ length: 11 }, () => req.liquidated[0]!);
    const side = Array.from({ length: 100_000 }, (_, i) => ({ ...longs[0]!, accountId: `x${i}` }));
    expect(domainIssues(() => comparePolicies({ ...req, liquidated: many, counterparties: side })).map((i) => [i.pointer, i.code])).toEqual([["/liquidated", "event_too_large"]]);
  });

  it("invalid: bankrupt positions on both sides; a bankrupt account among the counterparties", () => {
    const mixed = [req.liquidated[0]!, { side: "long" as const, size: "1", bankruptcyPrice: "9000" }];
    expect(domainIssues(() => comparePolicies({ ...req, liquidated: mixed })).map((i) => [i.pointer, i.code])).toEqual([["/liquidated/1/side", "mixed_sides"]]);
    const self = [{ ...req.liquidated[0]!, accountId: "a" }];
    expect(domainIssues(() => comparePolicies({ ...req, liquidated: self })).map((i) => [i.pointer, i.code])).toEqual([["/counterparties/0/accountId", "self_counterparty"]]);
  });
});
