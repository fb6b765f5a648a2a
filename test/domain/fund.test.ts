import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import { type FundConfigInput, parseFundConfig } from "../../src/domain/fund/config";
import { type AdlOutcome, settleAdl as settleParsed } from "../../src/domain/fund/settle";
import { drawCapacity, nextAdlActive } from "../../src/domain/fund/trigger";
import { type LiquidationInput, decideWaterfall, parseLiquidation } from "../../src/domain/fund/waterfall";
import { type FundDecisionWire, decisionFromWire, decisionToWire, settlementToWire } from "../../src/domain/liquidation";
import { domainIssue } from "./helpers";

const linear: FundConfigInput = { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT" };
const inverse: FundConfigInput = { contractType: "inverse", contractSize: "1", lotSize: "1", tickSize: "0.5", settlementAsset: "BTC" };
const D = (s: string) => new Decimal(s);
const state = (balance: string, peak = balance, adlActive = false) => ({ balance: D(balance), peakBalance: D(peak), adlActive });

function decide(cfgIn: FundConfigInput, balance: string, req: LiquidationInput, peak?: string, adlActive = false) {
  const cfg = parseFundConfig(cfgIn);
  const liq = parseLiquidation(cfg, req);
  // The examples are stated in decimal strings: the decision as the route writes it (liquidation/wire.ts).
  return { cfg, liq, d: decisionToWire(decideWaterfall(cfg, state(balance, peak, adlActive), liq)) };
}

/** settleAdl on the wire forms the examples are stated in: the decision and the ADL outcome parsed, the settlement written back. */
function settleAdl(market: Parameters<typeof settleParsed>[0], dp: number, sign: 1 | -1, d: FundDecisionWire, adl: { [K in keyof AdlOutcome]: string }) {
  return settlementToWire(settleParsed(market, dp, sign, decisionFromWire(d), { price: D(adl.price), filledQuantity: D(adl.filledQuantity) }));
}

describe("published examples", () => {
  it("valid: Gate's surplus example: long, BP 10,000, 1 BTC filled at 10,100 puts 100 USDT into the fund", () => {
    // entry 11,000 with 1,000 margin on 1 contract of 1 BTC: BP = 11,000 - 1,000/1 = 10,000.
    const { d } = decide(linear, "5000", {
      markPrice: "10050",
      liquidated: { accountId: "a", side: "long", size: "1", entryPrice: "11000", margin: "1000" },
      executions: [{ quantity: "1", price: "10100" }],
    });
    expect(d.bankruptcyPrice).toBe("10000");
    expect(d.executions[0]).toMatchObject({ quantity: "1", fundDelta: "100", returnedToAccount: "0" });
    expect(d.fund).toEqual({ balanceBefore: "5000", credited: "100", drawn: "0", balanceAfter: "5100" });
    expect(d.adlQuantity).toBe("0");
  });

  it("valid: dYdX fee cap: the fund keeps min(|quote| * maxLiquidationFeePpm, surplus), the rest returns to the account", () => {
    // dYdX v4 default MaxLiquidationFeePpm = 5,000 (0.5%). BP 49,500, 1 BTC at 50,000: surplus 500, cap 250.
    const req = (price: string): LiquidationInput => ({
      markPrice: "50000",
      liquidated: { accountId: "a", side: "long", size: "1", entryPrice: "55000", margin: "5500" },
      executions: [{ quantity: "1", price }],
      liquidationFeeRate: "0.005",
    });
    const capped = decide(linear, "0", req("50000")).d;
    expect(capped.bankruptcyPrice).toBe("49500");
    expect(capped.executions[0]).toMatchObject({ fundDelta: "250", returnedToAccount: "250" });
    expect(capped.fund.credited).toBe("250");
    // Surplus below the cap: the fund keeps all of it (49,600 - 49,500 = 100 < 248).
    const under = decide(linear, "0", req("49600")).d;
    expect(under.executions[0]).toMatchObject({ fundDelta: "100", returnedToAccount: "0" });
  });

  it("valid: inverse long (Bybit BP = E*L/(L+1)): a fill below BP is paid by the fund in BTC, rounded up in magnitude", () => {
    // 10,000 USD contracts at 50,000, 10x: M = Q*K/(E*L) = 0.02 BTC, BP = 50,000*10/11 = 45,454.5454.. -> up to 45,455.
    const { d } = decide(inverse, "1", {
      markPrice: "45000",
      liquidated: { accountId: "a", side: "long", size: "10000", entryPrice: "50000", margin: "0.02" },
      executions: [{ quantity: "10000", price: "45000" }],
    });
    expect(d.bankruptcyPrice).toBe("45455");
    // dIF = s*q*K*(1/BP - 1/x) = 10,000*(1/45,455 - 1/45,000) = -0.0022244222... BTC -> -0.00222443 (floor).
    expect(d.executions[0]!.fundDelta).toBe("-0.00222443");
    expect(d.fund).toMatchObject({ drawn: "0.00222443", balanceAfter: "0.99777557" });
  });

  it("valid: inverse short: a fill below BP is a surplus in BTC, rounded down", () => {
    // short 10,000 USD at 50,000, 10x: BP = 50,000*10/9 = 55,555.55.. -> down to 55,555.5.
    const { d } = decide(inverse, "0", {
      markPrice: "55000",
      liquidated: { accountId: "a", side: "short", size: "10000", entryPrice: "50000", margin: "0.02" },
      executions: [{ quantity: "10000", price: "55000" }],
    });
    expect(d.bankruptcyPrice).toBe("55555.5");
    // -1*10,000*(1/55,555.5 - 1/55,000) = 0.0018180018... -> 0.001818
    expect(d.executions[0]!.fundDelta).toBe("0.001818");
  });

  it("valid: a fund at its floor pays nothing: the loss fill is not taken and the whole size goes to ADL", () => {
    const { d } = decide({ ...linear, fundFloor: "1000" }, "1000", {
      markPrice: "9900",
      liquidated: { accountId: "a", side: "long", size: "2", entryPrice: "11000", margin: "2000" },
      executions: [{ quantity: "1", price: "9900" }],
    });
    expect(d.drawCapacity).toBe("0");
    expect(d.executions[0]).toMatchObject({ requestedQuantity: "1", quantity: "0", fundDelta: "0" });
    expect(d.fund.drawn).toBe("0");
    expect(d.adlQuantity).toBe("2");
    expect(d.adlPieces).toEqual([
      { source: "execution", executionIndex: 0, quantity: "1", referencePrice: "9900" },
      { source: "remainder", quantity: "1", referencePrice: "9900" },
    ]);
    expect(d.adlActiveAfter).toBe(true);
  });

  it("valid: a fund just above its floor pays part of a loss fill in whole lots, the rest goes to ADL", () => {
    // loss 100 per contract below BP 10,000; 30.05 above the floor pays 0.300 contracts (30.0), not 0.301 (30.1).
    const { d } = decide({ ...linear, fundFloor: "1000" }, "1030.05", {
      markPrice: "9900",
      liquidated: { accountId: "a", side: "long", size: "1", entryPrice: "11000", margin: "1000" },
      executions: [{ quantity: "1", price: "9900" }],
    });
    expect(d.executions[0]).toMatchObject({ quantity: "0.3", fundDelta: "-30" });
    expect(d.fund.balanceAfter).toBe("1000.05");
    expect(d.adlPieces).toEqual([{ source: "execution", executionIndex: 0, quantity: "0.7", referencePrice: "9900" }]);
  });

  it("valid: the per-event cap limits the draw", () => {
    const { d } = decide({ ...linear, maxDrawPerEvent: "50" }, "10000", {
      markPrice: "9900",
      liquidated: { accountId: "a", side: "long", size: "1", entryPrice: "11000", margin: "1000" },
      executions: [{ quantity: "1", price: "9900" }],
    });
    expect(d.fund.drawn).toBe("50");
    expect(d.adlQuantity).toBe("0.5");
  });
});

describe("ADL settlement and conservation", () => {
  it("valid: ADL at BP: the counterparties absorb the loss of the fill the fund could not pay; nothing is socialised", () => {
    const { cfg, liq, d } = decide({ ...linear, fundFloor: "1000" }, "1000", {
      markPrice: "9900",
      liquidated: { accountId: "a", side: "long", size: "1", entryPrice: "11000", margin: "1000" },
      executions: [{ quantity: "1", price: "9900" }],
    });
    const s = settleAdl(cfg.market, cfg.amountDecimals, liq.sign, d, { price: d.bankruptcyPrice, filledQuantity: "1" });
    expect(s.conservation).toEqual({ bankruptLoss: "100", fundDrawn: "0", fundCredited: "0", adlTransferred: "100", socializedLoss: "0", returnedToAccount: "0" });
  });

  it("valid: ADL that cannot fill everything leaves a reported socialised loss", () => {
    const { cfg, liq, d } = decide({ ...linear, fundFloor: "1000" }, "1000", {
      markPrice: "9900",
      liquidated: { accountId: "a", side: "long", size: "1", entryPrice: "11000", margin: "1000" },
      executions: [{ quantity: "1", price: "9900" }],
    });
    const s = settleAdl(cfg.market, cfg.amountDecimals, liq.sign, d, { price: d.bankruptcyPrice, filledQuantity: "0.4" });
    expect(s).toMatchObject({ adlTransferred: "40", socializedLoss: "60", unfilledQuantity: "0.6" });
  });

  it("valid: ADL at mark past BP: the gap nobody covered is socialised", () => {
    const { cfg, liq, d } = decide(linear, "0", {
      markPrice: "9950",
      liquidated: { accountId: "a", side: "long", size: "1", entryPrice: "11000", margin: "1000" },
      executions: [],
    });
    const s = settleAdl(cfg.market, cfg.amountDecimals, liq.sign, d, { price: "9950", filledQuantity: "1" });
    expect(s.conservation).toMatchObject({ bankruptLoss: "50", adlTransferred: "0", socializedLoss: "50" });
  });
});

describe("trigger rules", () => {
  const dd = parseFundConfig({ ...linear, adlTrigger: { rule: "drawdown", triggerRatio: "0.3", stopRatio: "0.25" } });
  it("valid: drawdown switches on at -30% from the peak and off only above -25% (hysteresis)", () => {
    expect(nextAdlActive(dd, false, D("70.1"), D("100"))).toBe(false);
    expect(nextAdlActive(dd, false, D("70"), D("100"))).toBe(true);
    expect(nextAdlActive(dd, true, D("74"), D("100"))).toBe(true);
    expect(nextAdlActive(dd, true, D("75"), D("100"))).toBe(true);
    expect(nextAdlActive(dd, true, D("75.01"), D("100"))).toBe(false);
  });
  it("valid: under drawdown the fund pays down to peak*(1 - trigger) and nothing while ADL is on", () => {
    expect(drawCapacity(dd, D("90"), D("100"), false).toFixed()).toBe("20");
    expect(drawCapacity(dd, D("90"), D("100"), true).toFixed()).toBe("0");
  });
  it("invalid: stopRatio must be below triggerRatio", () => {
    expect(domainIssue(() => parseFundConfig({ ...linear, adlTrigger: { rule: "drawdown", triggerRatio: "0.25", stopRatio: "0.3" } })).pointer).toBe("/adlTrigger/stopRatio");
  });
  it("invalid: executions larger than the position", () => {
    const cfg = parseFundConfig(linear);
    const issue = domainIssue(() =>
      parseLiquidation(cfg, { markPrice: "1", liquidated: { accountId: "a", side: "long", size: "1", entryPrice: "2", margin: "1" }, executions: [{ quantity: "2", price: "1" }] }),
    );
    expect(issue.code).toBe("executions_exceed_size");
  });
});
