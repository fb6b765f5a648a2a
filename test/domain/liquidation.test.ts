/** The liquidation as one pure function: its steps, their checks, and state threaded from one event to the next. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import { type FundConfigInput, parseFundConfig } from "../../src/domain/fund/config";
import {
  type LiquidationRequest,
  decideFund,
  fundStateAfter,
  ledgerEntriesFor,
  liquidate,
  liquidationResult,
  parseLiquidationRequest,
  planLiquidationAdl,
  settleLiquidation,
} from "../../src/domain/liquidation";
import { domainIssue, withWire } from "./helpers";

const linear: FundConfigInput = { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT", fundFloor: "1000" };
const config = parseFundConfig(linear);
const D = (s: string) => new Decimal(s);
const state = (balance: string, peak = balance, adlActive = false) => ({ balance: D(balance), peakBalance: D(peak), adlActive });
const shorts = (n: number) => Array.from({ length: n }, (_, i) => ({ accountId: `s${i}`, side: "short" as const, size: "1", entryPrice: String(10_500 + i * 10), margin: "1000" }));

const floorCase: LiquidationRequest = {
  markPrice: "9900",
  liquidated: { accountId: "b", side: "long", size: "2", entryPrice: "11000", margin: "2000" },
  executions: [{ quantity: "1", price: "9900" }],
  counterparties: shorts(3),
  method: "bitmex",
};

describe("liquidate", () => {
  it("a fund at its floor pays nothing: the loss fill and the remainder go to ADL at BP, entries and next state follow", () => {
    const out = withWire(liquidate(config, state("1000"), floorCase));
    expect(out.decision.bankruptcyPrice).toBe("10000");
    expect(out.decision.fund).toEqual({ balanceBefore: "1000", credited: "0", drawn: "0", balanceAfter: "1000" });
    expect(out.decision.adlQuantity).toBe("2");
    expect(out.adl.plan?.fills.map((f) => [f.accountId, f.quantity, f.price])).toEqual([
      ["s2", "1", "10000"],
      ["s1", "1", "10000"],
    ]);
    expect(out.settlement.unfilledQuantity).toBe("0");
    expect(out.entries).toEqual([]);
    expect(out.fundAfter).toEqual(state("1000", "1000", true));
  });

  it("equals its named steps composed by hand, and its result is the route's response shape", () => {
    const s0 = state("1005");
    const req = { ...floorCase, executions: [{ quantity: "1", price: "10100" }, { quantity: "0.5", price: "9990" }] };
    const parsed = parseLiquidationRequest(config, req);
    const decision = decideFund(config, s0, parsed.liquidation);
    const adl = planLiquidationAdl(parsed.liquidation, parsed.terms, decision, parsed.opposite);
    const settlement = settleLiquidation(config, parsed.liquidation, decision, adl);
    const entries = ledgerEntriesFor(decision, "b");
    const whole = liquidate(config, s0, req);
    expect(whole).toEqual({ accountId: "b", decision, adl, settlement, entries, fundAfter: fundStateAfter(s0, decision) });
    expect(entries.map((e) => [e.kind, e.amount.toFixed(), e.balanceAfter.toFixed()])).toEqual([
      ["liquidation_credit", "100", "1105"],
      ["liquidation_draw", "-5", "1100"],
    ]);
    const res = liquidationResult(whole, { liquidationId: "liq_x", marketId: "M", createdAt: "2026-01-01T00:00:00.000Z" }, ["e1", "e2"]);
    expect(Object.keys(res)).toEqual([
      "liquidationId", "marketId", "bankruptcyPrice", "executions", "fund", "adl", "socializedLoss", "unfilledQuantity", "returnedToAccount", "conservation", "ledgerEntries", "createdAt",
    ]);
    expect(res.fund).toMatchObject({ balanceBefore: "1005", credited: "100", drawn: "5", balanceAfter: "1100", adlActive: false });
    expect(res.adl).toMatchObject({ quantity: "0.5", filledQuantity: "0.5", price: "10000" });
  });

  it("bad input is refused with its pointer before any step runs; counterparties are checked even when ADL gets nothing", () => {
    expect(domainIssue(() => liquidate(config, state("5000"), { ...floorCase, counterparties: [{ ...shorts(1)[0]!, side: "long" }] }))).toMatchObject({ pointer: "/counterparties/0/side" });
    const surplusOnly = { ...floorCase, executions: [{ quantity: "2", price: "10100" }] };
    expect(domainIssue(() => liquidate(config, state("5000"), { ...surplusOnly, method: undefined }))).toMatchObject({ pointer: "/method" });
    expect(domainIssue(() => liquidate(config, state("5000"), { ...floorCase, executions: [{ quantity: "0.0005", price: "9900" }] }))).toMatchObject({ pointer: "/executions/0/quantity" });
  });

  it("without counterparties (the fund-only call) what the fund hands over is reported unfilled, and no method is needed", () => {
    const out = withWire(liquidate(config, state("1000"), { ...floorCase, counterparties: undefined, method: undefined }));
    expect(out.adl.plan).toBeNull();
    expect(out.settlement.unfilledQuantity).toBe("2");
    expect(out.settlement.socializedLoss).toBe("200");
  });

  it("property: threading fundAfter through a sequence keeps balance = start + sum of entries, and conservation per event", () => {
    const event = fc.record({
      side: fc.constantFrom("long" as const, "short" as const),
      price: fc.integer({ min: 9000, max: 11000 }),
      fill: fc.integer({ min: 0, max: 2000 }),
    });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 3000 }), (events, start) => {
        let s = state(String(start));
        let sum = D(String(start));
        for (const e of events) {
          const req: LiquidationRequest = {
            markPrice: String(e.price),
            liquidated: { accountId: "b", side: e.side, size: "2", entryPrice: "10000", margin: "500" },
            executions: e.fill > 0 ? [{ quantity: (e.fill / 1000).toFixed(3), price: String(e.price) }] : [],
            counterparties: (e.side === "long" ? shorts(2) : shorts(2).map((p) => ({ ...p, side: "long" as const, entryPrice: "9500" }))),
            method: "binance",
          };
          const out = withWire(liquidate(config, s, req));
          for (const x of out.entries) sum = sum.plus(x.amount);
          expect(out.fundAfter.balance.eq(sum)).toBe(true);
          const c = out.settlement.conservation;
          expect(D(c.fundDrawn).minus(c.fundCredited).plus(c.adlTransferred).plus(c.socializedLoss).minus(c.returnedToAccount).eq(c.bankruptLoss)).toBe(true);
          expect(out.fundAfter.peakBalance.gte(out.fundAfter.balance)).toBe(true);
          s = out.fundAfter;
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
