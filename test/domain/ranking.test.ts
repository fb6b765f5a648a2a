import { describe, expect, it } from "vitest";
import { rankPositions } from "./ranked-objects";
import { sortQueue } from "../../src/domain/ranking/fast/order";
import type { Market, PositionInput } from "../../src/domain/types";

const linear: Market = { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1" };
const pos = (accountId: string, side: "long" | "short", size: string, entryPrice: string, margin: string, accountValue?: string): PositionInput => ({
  accountId,
  side,
  size,
  entryPrice,
  margin,
  ...(accountValue ? { accountValue } : {}),
});

describe("rankings: table of cases", () => {
  it("valid: equity exactly zero at mark -> score and leverage null, last in the queue", () => {
    const r = rankPositions({
      market: linear,
      markPrice: "19000",
      method: "bitmex",
      indicator: "bybit",
      positions: [pos("zero-equity", "long", "1", "20000", "1000"), pos("loser", "long", "1", "20000", "2000")],
    });
    expect(r.long.map((p) => [p.accountId, p.score, p.effectiveLeverage])).toEqual([
      ["loser", "-0.00263158", "19"],
      ["zero-equity", null, null],
    ]);
  });

  it("valid: exact score ties break by larger size, then accountId", () => {
    // Same entry, mark and leverage: the same bitmex score exactly.
    const r = rankPositions({
      market: linear,
      markPrice: "21000",
      method: "bitmex",
      indicator: "gate",
      positions: [pos("b", "long", "1", "20000", "2000"), pos("c", "long", "2", "20000", "4000"), pos("a", "long", "1", "20000", "2000")],
    });
    expect(r.long.map((p) => p.accountId)).toEqual(["c", "a", "b"]);
    expect(new Set(r.long.map((p) => p.score)).size).toBe(1);
    expect(r.long.map((p) => p.indicator)).toEqual([1, 2, 4]);
  });

  it("valid: binance uses accountValue for leverage; hyperliquid mirrors shorts with entry/mark", () => {
    const b = rankPositions({
      market: linear,
      markPrice: "22000",
      method: "binance",
      indicator: "binance",
      positions: [pos("x", "long", "1", "20000", "1000", "10000"), pos("y", "long", "1", "20000", "1000", "4000")],
    });
    // pnl = 2000/22000; lev = 22000/A; score = 2000/A: y (0.5) before x (0.2).
    expect(b.long.map((p) => [p.accountId, p.score, p.indicator])).toEqual([
      ["y", "0.5", 4],
      ["x", "0.2", 2],
    ]);
    const h = rankPositions({
      market: linear,
      markPrice: "18000",
      method: "hyperliquid",
      indicator: "okx",
      positions: [pos("s1", "short", "1", "20000", "2000"), pos("s2", "short", "1", "19000", "2000")],
    });
    // s1: (20000/18000) * 18000/(2000 + 2000) = 5; s2: (19000/18000) * 18000/(2000 + 1000) = 6.33: s2 first.
    expect(h.short.map((p) => [p.accountId, p.score])).toEqual([
      ["s2", "6.33333333"],
      ["s1", "5"],
    ]);
  });

  it("valid: bitmex percentile by quantity reproduces BitMEX's table 20/40/60/80/80/100%", () => {
    const sizes = ["10", "20", "30", "10", "10", "20"];
    // Decreasing pnl so the queue order is the table's order.
    const positions = sizes.map((s, k) => pos(`acct${k + 1}`, "long", s, String(10000 + 100 * k), String(Number(s) * 1000)));
    const r = rankPositions({ market: { ...linear, lotSize: "1" }, markPrice: "12000", method: "bitmex", indicator: "bitmex", positions });
    expect(r.long.map((p) => p.accountId)).toEqual(["acct1", "acct2", "acct3", "acct4", "acct5", "acct6"]);
    expect(r.long.map((p) => p.indicator)).toEqual([0.2, 0.4, 0.6, 0.8, 0.8, 1]);
  });

  it("valid: count-weighted indicators equal indicators.ts for every side size up to 40", async () => {
    const { sideIndicators } = await import("../../src/domain/indicators");
    for (const convention of ["bybit", "binance", "okx", "gate", "bitmex"] as const) {
      for (let n = 1; n <= 40; n++) {
        const positions = Array.from({ length: n }, (_, k) => pos(`p${String(k).padStart(2, "0")}`, "long", "1", String(10000 + k), "5000"));
        const r = rankPositions({ market: linear, markPrice: "20000", method: "bitmex", indicator: convention, indicatorWeighting: "count", positions });
        expect(r.long.map((p) => p.indicator)).toEqual(sideIndicators(convention, Array(n).fill(1n), "count"));
      }
    }
  });

  it("valid: random walk is a rotation of the accountId order, fixed by the seed", () => {
    const positions = ["d", "a", "c", "b"].map((id) => pos(id, "short", "1", "20000", "2000"));
    const run = (seed: string) => rankPositions({ market: linear, markPrice: "20000", method: "random", indicator: "bybit", seed, positions }).short.map((p) => p.accountId);
    const order = run("event-1");
    expect(order).toEqual(run("event-1"));
    const start = ["a", "b", "c", "d"].indexOf(order[0]!);
    expect(order).toEqual(["a", "b", "c", "d"].slice(start).concat(["a", "b", "c", "d"].slice(0, start)));
  });

  it("invalid: an inverse short whose margin covers any move has no bankruptcy price", () => {
    expect(() =>
      rankPositions({
        market: { contractType: "inverse", contractSize: "100", lotSize: "1", tickSize: "0.5" },
        markPrice: "20000",
        method: "bitmex",
        indicator: "bybit",
        positions: [pos("s", "short", "10", "20000", "0.05")],
      }),
    ).toThrow(/no bankruptcy price/);
  });

  it("invalid: random without a seed", () => {
    expect(() => rankPositions({ market: linear, markPrice: "1", method: "random", indicator: "bybit", positions: [] })).toThrow(/seed/);
  });
});

describe("sortQueue", () => {
  it("packed native sort plus cluster fix-up equals a plain comparator sort, also with massive ties", () => {
    const n = 5000;
    const score = new Float64Array(n);
    const err = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      score[i] = i % 7 === 0 ? -Infinity : i % 3 === 0 ? 1.5 : Math.sin(i) * 1e-3;
      err[i] = i % 11 === 0 ? Infinity : 1e-12;
    }
    const compare = (a: number, b: number) => (score[a] === score[b] ? a - b : score[b]! > score[a]! ? 1 : -1);
    const indices = Array.from({ length: n }, (_, i) => i);
    expect(sortQueue(indices, compare, score, err)).toEqual(indices.slice().sort(compare));
  });
});
