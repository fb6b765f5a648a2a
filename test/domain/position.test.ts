import { describe, expect, it } from "vitest";
import { Decimal, toWire } from "../../src/domain/num/decimal";
import { parseMarket } from "../../src/domain/market";
import {
  DEFAULT_LIQUIDATION_CONVENTION,
  bankruptcyPrice,
  bankruptcyPriceExact,
  effectiveLeverage,
  hasBankruptcyPrice,
  liquidationPrice,
  liquidationPriceExact,
  notional,
  parsePosition,
  pnlRatio,
  unrealizedPnl,
} from "../../src/domain/position";
import type { Market, PositionInput } from "../../src/domain/types";
import { domainIssue, domainIssues } from "./helpers";

const d = (s: string) => new Decimal(s);
const linearBtc = parseMarket({ contractType: "linear", contractSize: "1", lotSize: "0.001" });
const inverseUsd = parseMarket({ contractType: "inverse", contractSize: "1", lotSize: "1" });

function pos(market: Market | ReturnType<typeof parseMarket>, input: Partial<PositionInput>) {
  const m = "contractSize" in market && typeof market.contractSize === "string" ? parseMarket(market as Market) : (market as ReturnType<typeof parseMarket>);
  return parsePosition({ accountId: "a", side: "long", size: "1", entryPrice: "1", margin: "1", ...input }, m, "/positions/3");
}

describe("parsePosition", () => {
  it("valid: keeps the pointer and precomputes Q*K", () => {
    const p = parsePosition(
      { accountId: "acc-1", side: "short", size: "2.5", entryPrice: "100.5", margin: "10", accountValue: "-3" },
      parseMarket({ contractType: "linear", contractSize: "0.1", lotSize: "0.5", tickSize: "0.1" }),
      "/positions/3",
    );
    expect(p).toMatchObject({ pointer: "/positions/3", accountId: "acc-1", side: "short", sign: -1 });
    expect(toWire(p.qk)).toBe("0.25");
    expect(toWire(p.accountValue!)).toBe("-3");
  });

  it("invalid: reports every bad field with its pointer", () => {
    const market = parseMarket({ contractType: "linear", contractSize: "1", lotSize: "0.5", tickSize: "0.1" });
    const issues = domainIssues(() =>
      parsePosition(
        { accountId: "", side: "flat" as never, size: "0.7", entryPrice: "100.25", margin: "0", accountValue: "1e3" },
        market,
        "/positions/3",
      ),
    );
    expect(issues.map((i) => [i.pointer, i.code])).toEqual([
      ["/positions/3/accountId", "invalid_account_id"],
      ["/positions/3/side", "invalid_side"],
      ["/positions/3/size", "not_lot_multiple"],
      ["/positions/3/entryPrice", "too_many_decimals"],
      ["/positions/3/margin", "not_positive"],
      ["/positions/3/accountValue", "exponent_notation"],
    ]);
  });

  it("invalid: negative margin and negative size", () => {
    expect(domainIssue(() => pos(linearBtc, { margin: "-1" }))).toMatchObject({ pointer: "/positions/3/margin", code: "not_positive" });
    expect(domainIssue(() => pos(linearBtc, { size: "-1" }))).toMatchObject({ pointer: "/positions/3/size", code: "not_positive" });
  });
});

describe("notional, uPnL, pnlRatio, effective leverage", () => {
  const long = pos(linearBtc, { size: "1", entryPrice: "20000", margin: "400" });

  it("linear long 1 BTC at 20,000, mark 21,000", () => {
    const mark = d("21000");
    expect(toWire(notional(linearBtc, long, mark))).toBe("21000");
    expect(toWire(unrealizedPnl(linearBtc, long, mark))).toBe("1000");
    // BitMEX pnlPct: (markValue - entryValue)/|entryValue| = 1000/20000
    expect(toWire(pnlRatio(linearBtc, long, mark))).toBe("0.05");
    // Binance: uPnL/|notional at mark| = 1000/21000
    expect(pnlRatio(linearBtc, long, mark, "mark").eq(d("1000").div(21000))).toBe(true);
    expect(toWire(effectiveLeverage(linearBtc, long, mark)!)).toBe("15");
  });

  it("linear short: PnL sign follows the side", () => {
    const short = pos(linearBtc, { side: "short", size: "2", entryPrice: "100", margin: "20" });
    expect(toWire(unrealizedPnl(linearBtc, short, d("90")))).toBe("20");
    expect(toWire(pnlRatio(linearBtc, short, d("90")))).toBe("0.1");
    expect(toWire(effectiveLeverage(linearBtc, short, d("90"))!)).toBe("4.5");
  });

  it("account value replaces M + uPnL when given (Binance)", () => {
    const p = pos(linearBtc, { size: "1", entryPrice: "20000", margin: "400", accountValue: "2100" });
    expect(toWire(effectiveLeverage(linearBtc, p, d("21000"))!)).toBe("10");
    const broke = pos(linearBtc, { size: "1", entryPrice: "20000", margin: "400", accountValue: "0" });
    expect(effectiveLeverage(linearBtc, broke, d("21000"))).toBeNull();
  });

  it("effective leverage is null once equity <= 0 at mark", () => {
    expect(effectiveLeverage(linearBtc, long, d("19600"))).toBeNull();
    expect(effectiveLeverage(linearBtc, long, d("19000"))).toBeNull();
    expect(effectiveLeverage(linearBtc, long, d("19600.01"))).not.toBeNull();
  });

  it("inverse long 10,000 USD at 8,000, mark 10,000 (coin-denominated)", () => {
    const p = pos(inverseUsd, { size: "10000", entryPrice: "8000", margin: "0.025" });
    const mark = d("10000");
    expect(toWire(notional(inverseUsd, p, mark))).toBe("1");
    expect(toWire(unrealizedPnl(inverseUsd, p, mark))).toBe("0.25");
    // BitMEX pnlPct with position values in coin: (1.25 - 1)/1.25 = 0.2 = (P - E)/P
    expect(toWire(pnlRatio(inverseUsd, p, mark))).toBe("0.2");
    expect(toWire(pnlRatio(inverseUsd, p, mark, "mark"))).toBe("0.25");
    // 1 BTC notional over 0.275 BTC equity
    expect(effectiveLeverage(inverseUsd, p, mark)!.eq(d("1").div("0.275"))).toBe(true);
    expect(effectiveLeverage(inverseUsd, p, d("7843.13725490196078431372549019607843137"))).toBeNull();
  });
});

describe("bankruptcy price: published examples", () => {
  it("linear long E*(1-1/L): Bybit, 1 BTC at 10,000, 50x -> 9,800", () => {
    const p = pos(linearBtc, { size: "1", entryPrice: "10000", margin: "200" });
    expect(toWire(bankruptcyPrice(linearBtc, p))).toBe("9800");
  });

  it("linear short E*(1+1/L): 1 BTC at 10,000, 50x -> 10,200", () => {
    const p = pos(linearBtc, { side: "short", size: "1", entryPrice: "10000", margin: "200" });
    expect(toWire(bankruptcyPrice(linearBtc, p))).toBe("10200");
  });

  // Bybit "How to calculate Bankruptcy Price" (inverse): long at 8,000 with 50x, BP = Entry*Leverage/(Leverage+1),
  // "rounded up to the nearest 0.5" for a long, "rounded down" for a short. Margin = Q/(E*L) = 10000/(8000*50).
  const bybitInverse = parseMarket({ contractType: "inverse", contractSize: "1", lotSize: "1", tickSize: "0.5" });
  it("inverse long E*L/(L+1): Bybit, 8,000 at 50x -> 7843.137..., 7843.5 on Bybit's 0.5 tick", () => {
    const p = pos(bybitInverse, { size: "10000", entryPrice: "8000", margin: "0.025" });
    expect(bankruptcyPriceExact(bybitInverse, p).eq(d("8000").times(50).div(51))).toBe(true);
    expect(toWire(bankruptcyPrice(bybitInverse, p))).toBe("7843.5");
  });
  it("inverse short E*L/(L-1): 8,000 at 50x -> 8163.265..., 8163 on the 0.5 tick", () => {
    const p = pos(bybitInverse, { side: "short", size: "10000", entryPrice: "8000", margin: "0.025" });
    expect(bankruptcyPriceExact(bybitInverse, p).eq(d("8000").times(50).div(49))).toBe(true);
    expect(toWire(bankruptcyPrice(bybitInverse, p))).toBe("8163");
  });
  it("default 1e-8 tick: the long rounds up, the short down", () => {
    const long = pos(inverseUsd, { size: "10000", entryPrice: "8000", margin: "0.025" });
    const short = pos(inverseUsd, { side: "short", size: "10000", entryPrice: "8000", margin: "0.025" });
    expect(toWire(bankruptcyPrice(inverseUsd, long))).toBe("7843.13725491");
    expect(toWire(bankruptcyPrice(inverseUsd, short))).toBe("8163.26530612");
  });

  it("no bankruptcy price when the margin covers every move (leverage <= 1)", () => {
    const inverseShort = pos(inverseUsd, { side: "short", size: "10000", entryPrice: "8000", margin: "1.25" });
    expect(hasBankruptcyPrice(inverseUsd, inverseShort)).toBe(false);
    expect(domainIssue(() => bankruptcyPrice(inverseUsd, inverseShort))).toMatchObject({
      pointer: "/positions/3/margin",
      code: "no_bankruptcy_price",
    });
    const linearLong = pos(linearBtc, { size: "1", entryPrice: "100", margin: "100" });
    expect(domainIssue(() => bankruptcyPriceExact(linearBtc, linearLong)).code).toBe("no_bankruptcy_price");
    const nearlyOne = pos(inverseUsd, { side: "short", size: "10000", entryPrice: "8000", margin: "1.24999999" });
    expect(hasBankruptcyPrice(inverseUsd, nearlyOne)).toBe(true);
  });
});

describe("liquidation price: published examples", () => {
  const bybitLong = pos(linearBtc, { size: "1", entryPrice: "20000", margin: "400" });
  const mmr = d("0.005");

  it("default convention is 'entry'", () => {
    expect(DEFAULT_LIQUIDATION_CONVENTION).toBe("entry");
  });

  it("Bybit USDT long: 1 BTC at 20,000, 50x, MMR 0.5% -> 19,700 ('entry')", () => {
    expect(toWire(liquidationPrice(linearBtc, bybitLong, mmr)!)).toBe("19700");
  });

  it("same input under 'mark' -> 19600/0.995 = 19,698.49...; rounded up for a long", () => {
    expect(liquidationPriceExact(linearBtc, bybitLong, mmr, "mark")!.eq(d("19600").div("0.995"))).toBe(true);
    expect(toWire(liquidationPrice(linearBtc, bybitLong, mmr, "mark")!)).toBe("19698.49246232");
    const tick01 = parseMarket({ contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.01" });
    expect(toWire(liquidationPrice(tick01, bybitLong, mmr, "mark")!)).toBe("19698.5");
  });

  it("Bybit USDT short: 1 BTC at 20,000, 40x, MMR 0.5% -> 20,000*(1 + 2.5% - 0.5%) = 20,400", () => {
    const p = pos(linearBtc, { side: "short", size: "1", entryPrice: "20000", margin: "500" });
    expect(toWire(liquidationPrice(linearBtc, p, mmr)!)).toBe("20400");
  });

  it("Bybit USDT (older page): long 1 BTC at 10,000, 50x -> 9,850; short 1 BTC at 8,000, 40x -> 8,160", () => {
    expect(toWire(liquidationPrice(linearBtc, pos(linearBtc, { entryPrice: "10000", margin: "200" }), mmr)!)).toBe("9850");
    const short = pos(linearBtc, { side: "short", entryPrice: "8000", margin: "200" });
    expect(toWire(liquidationPrice(linearBtc, short, mmr)!)).toBe("8160");
  });

  it("Bybit inverse isolated (UTA): 60,000 USD long at 50,000, 10x, MMR 0.5%", () => {
    // 'entry' (Bybit 2024 text): Q/[Q/E + (IM - MM)] = 60000/(1.2 + 0.12 - 0.006)
    const p = pos(inverseUsd, { size: "60000", entryPrice: "50000", margin: "0.12" });
    expect(liquidationPriceExact(inverseUsd, p, mmr)!.eq(d("60000").div("1.314"))).toBe(true);
    // 'mark' (Bybit's later text, fees and deductions zero): Q*(MMR + 1)/(Q/E + Q/E/L) = 60300/1.32
    expect(liquidationPriceExact(inverseUsd, p, mmr, "mark")!.eq(d("60300").div("1.32"))).toBe(true);
  });

  it("inverse 'entry' E*L/(L*(1-m)+1): 10x at 2,000, MMR 0.5% -> 1,826.48 long, 2,209.94 short", () => {
    const tick = parseMarket({ contractType: "inverse", contractSize: "1", lotSize: "1", tickSize: "0.01" });
    const long = pos(tick, { size: "2000", entryPrice: "2000", margin: "0.1" });
    const short = pos(tick, { side: "short", size: "2000", entryPrice: "2000", margin: "0.1" });
    expect(toWire(liquidationPrice(tick, long, mmr)!)).toBe("1826.49"); // 1826.4840..., rounded up for a long
    expect(toWire(liquidationPrice(tick, short, mmr)!)).toBe("2209.94"); // 2209.9447..., rounded down for a short
    expect(toWire(liquidationPriceExact(tick, long, mmr)!.toDecimalPlaces(2))).toBe("1826.48");
  });

  it("Gate's 'mark' forms: linear (E - M/(K*Q))/(1 - m), inverse Q*E*(1 - m)/(Q - M*E) for a short", () => {
    const gateLinear = parseMarket({ contractType: "linear", contractSize: "0.0001", lotSize: "1" });
    const p = pos(gateLinear, { size: "10000", entryPrice: "30000", margin: "3000" });
    const expected = d("30000").minus(d("3000").div("1")).div(d("0.995"));
    expect(liquidationPriceExact(gateLinear, p, mmr, "mark")!.eq(expected)).toBe(true);
    const s = pos(inverseUsd, { side: "short", size: "100", entryPrice: "2000", margin: "0.01" });
    const inv = d("100").times(2000).times("0.995").div(d("100").minus(d("0.01").times(2000)));
    expect(liquidationPriceExact(inverseUsd, s, mmr, "mark")!.eq(inv)).toBe(true);
  });

  it("m = 0 gives the bankruptcy price under both conventions", () => {
    for (const convention of ["entry", "mark"] as const) {
      expect(liquidationPriceExact(linearBtc, bybitLong, d("0"), convention)!.eq(d("19600"))).toBe(true);
    }
  });

  it("null when no liquidation price exists", () => {
    const unlevered = pos(linearBtc, { size: "1", entryPrice: "100", margin: "150" });
    expect(liquidationPrice(linearBtc, unlevered, mmr)).toBeNull();
    expect(liquidationPrice(linearBtc, unlevered, mmr, "mark")).toBeNull();
    // A 1x inverse short (M = Q/E) never liquidates when MM is measured at the liquidation price, but 'entry'
    // deducts MM = m*Q/E from the margin up front, which leaves a (far) liquidation price: 8e7 / 50.
    const hedge = pos(inverseUsd, { side: "short", size: "10000", entryPrice: "8000", margin: "1.25" });
    expect(liquidationPrice(inverseUsd, hedge, mmr, "mark")).toBeNull();
    expect(toWire(liquidationPrice(inverseUsd, hedge, mmr, "entry")!)).toBe("1600000");
    const overHedged = pos(inverseUsd, { side: "short", size: "10000", entryPrice: "8000", margin: "1.3" });
    expect(liquidationPrice(inverseUsd, overHedged, mmr, "entry")).toBeNull();
  });
});
