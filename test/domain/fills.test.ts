import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import { bankruptSettlement, closePnl } from "../../src/domain/fills";
import { planFills } from "./wire-plans";
import { parseMarket } from "../../src/domain/market";
import { bankruptcyPrice, parsePosition } from "../../src/domain/position";
import type { PositionInput } from "../../src/domain/types";
import { countingQueue } from "./arbitraries";
import { domainIssue } from "./helpers";

const d = (s: string) => new Decimal(s);
const xbtusd = parseMarket({ contractType: "inverse", contractSize: "1", lotSize: "1", tickSize: "0.5" });
const linear = parseMarket({ contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1" });

function longs(rows: Array<[string, string, string]>, market = xbtusd) {
  return rows.map(([accountId, size, entryPrice], i) =>
    parsePosition({ accountId, side: "long", size, entryPrice, margin: "1" }, market, `/positions/${i}`),
  );
}

describe("BitMEX worked example (bitmex.com/app/autoDeleveragingExamples)", () => {
  // Six longs in ADL order (accounts 2, 5, 4, 1, 6, 3); a 20-contract short is liquidated at its bankruptcy price 650.
  // Entry prices are ours (BitMEX gives only quantities); the realised PnL column follows from them.
  const queue = longs([
    ["2", "10", "500"],
    ["5", "20", "600"],
    ["4", "30", "620"],
    ["1", "10", "640"],
    ["6", "10", "645"],
    ["3", "20", "649"],
  ]);

  it("closes account 2 fully and takes 10 of account 5's 20; pulls nothing past account 5", () => {
    const { queue: lazy, pulls } = countingQueue(queue);
    const plan = planFills({ market: xbtusd, liquidatedSide: "short", quantity: "20", price: "650", queue: lazy });
    expect(plan).toEqual({
      price: "650",
      fills: [
        // 10 * (1/500 - 1/650) = 0.0046153846..., rounded down
        { accountId: "2", quantity: "10", price: "650", realizedPnl: "0.00461538", remainingSize: "0" },
        // 10 * (1/600 - 1/650) = 0.0012820512..., rounded down
        { accountId: "5", quantity: "10", price: "650", realizedPnl: "0.00128205", remainingSize: "10" },
      ],
      filledQuantity: "20",
      unfilledQuantity: "0",
    });
    expect(pulls()).toBe(2);
  });

  it("reports what the whole side cannot absorb", () => {
    const plan = planFills({ market: xbtusd, liquidatedSide: "short", quantity: "120", price: "650", queue });
    expect(plan.fills).toHaveLength(6);
    expect(plan.filledQuantity).toBe("100");
    expect(plan.unfilledQuantity).toBe("20");
  });
});

describe("realised PnL rounding", () => {
  it("rounds down toward -infinity for gains and losses alike", () => {
    const shorts = [
      parsePosition({ accountId: "s", side: "short", size: "3", entryPrice: "100", margin: "10" }, xbtusd, "/positions/0"),
    ];
    // short 3 at 100 closed at 650: 3 * -(1/100 - 1/650) = -0.0253846153..., down -> -0.02538462
    const plan = planFills({ market: xbtusd, liquidatedSide: "long", quantity: "3", price: "650", queue: shorts });
    expect(plan.fills[0]!.realizedPnl).toBe("-0.02538462");
  });
  it("linear: s*q*K*(x - E) is exact on the grid", () => {
    const q = longs([["a", "0.5", "20000.1"]], linear);
    const plan = planFills({ market: linear, liquidatedSide: "short", quantity: "0.2", price: "20100.5", queue: q });
    expect(plan.fills[0]).toMatchObject({ quantity: "0.2", realizedPnl: "20.08", remainingSize: "0.3" });
  });
});

describe("validation", () => {
  const ok = longs([["a", "10", "600"]]);
  it("invalid: quantity not a lot multiple, price beyond the tick decimals", () => {
    expect(domainIssue(() => planFills({ market: linear, liquidatedSide: "short", quantity: "0.0005", price: "1", queue: [] }))).toMatchObject({
      pointer: "/quantity",
      code: "not_lot_multiple",
    });
    expect(
      domainIssue(() =>
        planFills({ market: xbtusd, liquidatedSide: "short", quantity: "1", price: "650.25", queue: ok, pointers: { price: "/adl/price" } }),
      ),
    ).toMatchObject({ pointer: "/adl/price", code: "too_many_decimals" });
    expect(domainIssue(() => planFills({ market: xbtusd, liquidatedSide: "short", quantity: d("0"), price: "1", queue: ok })).code).toBe(
      "not_positive",
    );
  });

  it("invalid: a counterparty on the liquidated side, pointed at", () => {
    const q = longs([["a", "1", "600"], ["b", "1", "600"]]);
    expect(domainIssue(() => planFills({ market: xbtusd, liquidatedSide: "long", quantity: "1", price: "650", queue: q }))).toMatchObject({
      pointer: "/positions/0/side",
      code: "wrong_side",
    });
  });

  it("invalid: the same account twice, pointing at the second", () => {
    const q = longs([["a", "1", "600"], ["b", "1", "600"], ["a", "1", "600"]]);
    expect(domainIssue(() => planFills({ market: xbtusd, liquidatedSide: "short", quantity: "3", price: "650", queue: q }))).toMatchObject({
      pointer: "/positions/2/accountId",
      code: "duplicate_account",
    });
  });

  it("lazy: entries past the point needed are never pulled, so never validated", () => {
    function* queue() {
      yield* longs([["a", "5", "600"]]);
      throw new Error("pulled past the point needed");
    }
    expect(planFills({ market: xbtusd, liquidatedSide: "short", quantity: "5", price: "650", queue: queue() }).unfilledQuantity).toBe("0");
  });

  it("closes a generator-backed queue it stops early", () => {
    let closed = false;
    function* queue() {
      try {
        yield* longs([["a", "5", "600"], ["b", "5", "600"]]);
      } finally {
        closed = true;
      }
    }
    planFills({ market: xbtusd, liquidatedSide: "short", quantity: "5", price: "650", queue: queue() });
    expect(closed).toBe(true);
  });
});

describe("bankrupt side settlement (domain.md sections 3 and 5)", () => {
  const bankrupt = (input: Partial<PositionInput>, market = linear) =>
    parsePosition({ accountId: "b", side: "long", size: "1", entryPrice: "10000", margin: "100", ...input }, market, "/bankrupt");

  it("Gate: long liquidated with BP 10,000, 1 BTC filled at 10,100 -> 100 USDT to the fund", () => {
    // Entry 10,100 with margin 100 puts BP at 10,000.
    const p = bankrupt({ entryPrice: "10100", margin: "100" });
    expect(bankruptcyPrice(linear, p).toFixed()).toBe("10000");
    const s = bankruptSettlement(linear, p, d("1"), d("10100"));
    expect(s.difference.toFixed()).toBe("100");
  });

  it("at the exact BP the loss on the closed quantity equals the margin share", () => {
    const p = bankrupt({ size: "2", entryPrice: "10000", margin: "300" }); // BP 9850
    const s = bankruptSettlement(linear, p, d("0.5"), d("9850"));
    expect(s.marginShare.toFixed()).toBe("75");
    expect(s.pnl.toFixed()).toBe("-75");
    expect(s.difference.isZero()).toBe(true);
  });

  it("at mark past BP the difference is the loss beyond the margin", () => {
    const p = bankrupt({ size: "2", entryPrice: "10000", margin: "300" });
    expect(bankruptSettlement(linear, p, d("2"), d("9800")).difference.toFixed()).toBe("-100");
  });

  it("closePnl: an inverse short gains coin when the price falls and loses it when it rises", () => {
    expect(closePnl(xbtusd, -1, d("650"), d("650"), d("500")).toFixed()).toBe("0.3");
    expect(closePnl(xbtusd, -1, d("500"), d("650"), d("650")).toFixed()).toBe("-0.3");
  });
});
