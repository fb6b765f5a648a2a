import { describe, expect, it } from "vitest";
import {
  DEFAULT_WEIGHTING,
  INDICATOR_CONVENTIONS,
  indicatorFor,
  countQuintile,
  quantityQuintile,
  sideIndicators,
} from "../../src/domain/indicators";
import { noPositionIndicator } from "./no-position-indicator";

describe("countQuintile = floor(5 * (rank - 1) / n) + 1", () => {
  it.each([
    [1, 1, 1],
    [1, 2, 1],
    [2, 2, 3],
    [1, 3, 1],
    [2, 3, 2],
    [3, 3, 4],
    [1, 5, 1],
    [5, 5, 5],
    [1, 6, 1],
    [2, 6, 1],
    [3, 6, 2],
    [6, 6, 5],
    [2, 10, 1],
    [3, 10, 2],
    [10, 10, 5],
    [20_000, 100_000, 1],
    [20_001, 100_000, 2],
    [100_000, 100_000, 5],
  ])("rank %i of %i -> %i", (r, n, q) => {
    expect(countQuintile(r, n)).toBe(q);
  });
  it("rank 1 is always the first quintile; every quintile is reached once n >= 5", () => {
    for (let n = 1; n <= 60; n++) {
      const qs = Array.from({ length: n }, (_, i) => countQuintile(i + 1, n));
      expect(qs[0]).toBe(1);
      expect(qs.every((q, i) => i === 0 || q >= qs[i - 1]!)).toBe(true);
      if (n >= 5) expect(new Set(qs).size).toBe(5);
    }
  });
  it("rejects places outside 1..n", () => {
    expect(() => countQuintile(0, 5)).toThrow(RangeError);
    expect(() => countQuintile(6, 5)).toThrow(RangeError);
  });
});

describe("quantityQuintile = ceil(5 * through / total)", () => {
  it.each([
    [1n, 1n, 5],
    [10n, 100n, 1],
    [20n, 100n, 1],
    [21n, 100n, 2],
    [100n, 100n, 5],
  ])("%s of %s -> %i", (t, n, q) => {
    expect(quantityQuintile(t, n)).toBe(q);
  });
  it("works beyond float-safe integers", () => {
    const total = 10n ** 30n;
    expect(quantityQuintile(total / 5n, total)).toBe(1);
    expect(quantityQuintile(total / 5n + 1n, total)).toBe(2);
  });
});

describe("venue scales (five positions, one per quintile; rank 1 first)", () => {
  it.each([
    ["bybit", [5, 4, 3, 2, 1], 0],
    ["binance", [4, 3, 2, 1, 0], 0],
    ["okx", [5, 4, 3, 2, 1], 0],
    ["gate", [1, 2, 3, 4, 5], 6],
    ["bitmex", [0.2, 0.4, 0.6, 0.8, 1], null],
  ] as const)("%s", (convention, values, none) => {
    expect([1, 2, 3, 4, 5].map((r) => indicatorFor(convention, r, 5))).toEqual(values);
    expect(noPositionIndicator(convention)).toBe(none);
  });
  it("the convention list covers every venue", () => {
    expect(INDICATOR_CONVENTIONS).toEqual(["bybit", "binance", "okx", "gate", "bitmex"]);
  });
});

describe("BitMEX worked example (bitmex.com/app/autoDeleveragingExamples)", () => {
  // Ranked: account 2 (10), 5 (20), 4 (30), 1 (10), 6 (10), 3 (20).
  const lots = [10n, 20n, 30n, 10n, 10n, 20n];
  it("quantity weighting reproduces 20%, 40%, 60%, 80%, 80%, 100%", () => {
    expect(DEFAULT_WEIGHTING.bitmex).toBe("quantity");
    expect(sideIndicators("bitmex", lots)).toEqual([0.2, 0.4, 0.6, 0.8, 0.8, 1]);
  });
  it("count weighting does not", () => {
    expect(sideIndicators("bitmex", lots, "count")).toEqual([0.2, 0.2, 0.4, 0.6, 0.8, 1]);
  });
  it("other venues default to count weighting", () => {
    expect(sideIndicators("bybit", lots)).toEqual([5, 5, 4, 3, 2, 1]);
    expect(sideIndicators("gate", lots, "quantity")).toEqual([1, 2, 3, 4, 4, 5]);
  });
  it("empty side gives no indicators", () => {
    expect(sideIndicators("bitmex", [])).toEqual([]);
  });
});
