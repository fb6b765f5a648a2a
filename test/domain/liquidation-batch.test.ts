/**
 * Batch liquidations equal the sequence of single liquidations in which each call's counterparties are the previous
 * call's remaining positions (src/domain/liquidation/remaining.ts): same fills, same fund balance after each item,
 * same ledger entries; on both paths (ranked queue kept across items, and re-prepared per item).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import { type FundConfigInput, parseFundConfig } from "../../src/domain/fund/config";
import { type BatchRequest, afterFill, canonicalPosition, liquidate, liquidateBatch, singleRequest } from "../../src/domain/liquidation";
import type { PositionInput } from "../../src/domain/types";
import { domainIssue, withWire } from "./helpers";

const cfgIn: FundConfigInput = { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5", settlementAsset: "USDT", fundFloor: "100" };
const config = parseFundConfig(cfgIn);
const D = (s: string) => new Decimal(s);
const state = (balance: string) => ({ balance: D(balance), peakBalance: D(balance), adlActive: false });

/** The reference: one single liquidation after another, counterparties = the previous call's remaining positions. */
function sequenceOfSingles(req: BatchRequest, balance: string) {
  let s = state(balance);
  let cps: PositionInput[] = req.counterparties.map(canonicalPosition);
  const mark = D(req.markPrice);
  const outs = req.liquidated.map((item, i) => {
    const opposite = item.side === "long" ? "short" : "long";
    const out = liquidate(config, s, singleRequest(req, i, cps.filter((c) => c.side === opposite && c.size !== "0")));
    for (const f of withWire(out).adl.plan?.fills ?? []) {
      const j = cps.findIndex((c) => c.side === opposite && c.accountId === f.accountId);
      cps[j] = afterFill(config.market, config.amountDecimals, mark, cps[j]!, f);
    }
    s = out.fundAfter;
    return out;
  });
  return { outs, cps, s };
}

const position = (side: "long" | "short", i: number, r: { size: number; entry: number; margin: number; av: number | null }): PositionInput => ({
  accountId: `${side}-${i}`,
  side,
  size: String(r.size),
  entryPrice: String(r.entry),
  margin: String(r.margin),
  ...(r.av === null ? {} : { accountValue: String(r.av) }),
});
const posArb = fc.record({ size: fc.integer({ min: 1, max: 6 }), entry: fc.integer({ min: 18000, max: 22000 }), margin: fc.integer({ min: 50, max: 5000 }), av: fc.option(fc.integer({ min: -500, max: 9000 }), { nil: null }) });
const itemArb = fc.record({
  side: fc.constantFrom("long" as const, "short" as const),
  size: fc.integer({ min: 1, max: 8 }),
  fill: fc.integer({ min: 0, max: 8 }),
  price: fc.integer({ min: 19000, max: 21000 }),
});
const batchArb = (method: BatchRequest["method"], policy?: BatchRequest["policy"]) =>
  fc.record({ items: fc.array(itemArb, { minLength: 1, maxLength: 8 }), longs: fc.array(posArb, { maxLength: 10 }), shorts: fc.array(posArb, { maxLength: 10 }), balance: fc.integer({ min: 0, max: 3000 }), mark: fc.integer({ min: 19000, max: 21000 }) }).map(
    (g): { req: BatchRequest; balance: string } => ({
      balance: String(g.balance),
      req: {
        markPrice: String(g.mark),
        method,
        ...(policy ? { policy } : {}),
        ...(method === "random" ? { seed: "s" } : {}),
        liquidated: g.items.map((it, i) => ({
          accountId: `bankrupt-${i}`,
          side: it.side,
          size: String(it.size),
          // BP 20,000 whatever the side: entry 20,000 -/+ margin, margin = size * 1,000.
          entryPrice: String(it.side === "long" ? 21000 : 19000),
          margin: String(it.size * 1000),
          executions: Math.min(it.fill, it.size) > 0 ? [{ quantity: String(Math.min(it.fill, it.size)), price: String(it.price) }] : [],
        })),
        counterparties: [...g.shorts.map((r, i) => position("short", i, r)), ...g.longs.map((r, i) => position("long", i, r))],
      },
    }),
  );

function checkEquivalent({ req, balance }: { req: BatchRequest; balance: string }) {
  const batch = liquidateBatch(config, state(balance), req);
  const ref = sequenceOfSingles(req, balance);
  expect(batch.items.map((x) => withWire(x).adl.plan?.fills ?? [])).toEqual(ref.outs.map((x) => withWire(x).adl.plan?.fills ?? []));
  expect(batch.items.map((x) => x.decision.fund.balanceAfter)).toEqual(ref.outs.map((x) => x.decision.fund.balanceAfter));
  expect(batch.items.map((x) => x.entries.map((e) => [e.kind, e.amount.toFixed(), e.balanceAfter.toFixed()]))).toEqual(ref.outs.map((x) => x.entries.map((e) => [e.kind, e.amount.toFixed(), e.balanceAfter.toFixed()])));
  expect(batch.items.map((x) => x.settlement)).toEqual(ref.outs.map((x) => x.settlement));
  expect(batch.counterparties).toEqual(ref.cps);
  expect(batch.fundAfter).toEqual(ref.s);
  expect(batch.totals.balanceAfter).toBe(ref.s.balance.toFixed());
}

describe("batch liquidations", () => {
  it("property: the ranked queue kept across items equals the sequence of singles (bitmex, binance, hyperliquid)", () => {
    for (const method of ["bitmex", "binance", "hyperliquid"] as const) fc.assert(fc.property(batchArb(method), checkEquivalent), { numRuns: 60 });
  }, 120_000);

  it("property: the re-prepared path equals the sequence of singles (random walk, pro-rata, capped-pro-rata, leverage-draining)", () => {
    fc.assert(fc.property(batchArb("random"), checkEquivalent), { numRuns: 40 });
    for (const policy of ["pro-rata", "capped-pro-rata", "leverage-draining"] as const) fc.assert(fc.property(batchArb(undefined, policy), checkEquivalent), { numRuns: 25 });
  }, 120_000);

  it("a winner deleveraged for the first bankrupt position gives nothing twice; partly closed keeps entry, margin in proportion", () => {
    const req: BatchRequest = {
      markPrice: "20000",
      method: "bitmex",
      liquidated: [
        { accountId: "b1", side: "long", size: "3", entryPrice: "21000", margin: "3000", executions: [] },
        { accountId: "b2", side: "long", size: "3", entryPrice: "21000", margin: "3000", executions: [] },
      ],
      counterparties: [
        { accountId: "s1", side: "short", size: "4", entryPrice: "22000", margin: "1000" },
        { accountId: "s2", side: "short", size: "4", entryPrice: "20500", margin: "3000" },
      ],
    };
    const out = liquidateBatch(config, state("100"), req);
    expect(out.items.map((x) => withWire(x).adl.plan!.fills.map((f) => [f.accountId, f.quantity]))).toEqual([[["s1", "3"]], [["s1", "1"], ["s2", "2"]]]);
    expect(out.counterparties).toEqual([
      { accountId: "s1", side: "short", size: "0", entryPrice: "22000", margin: "0" },
      { accountId: "s2", side: "short", size: "2", entryPrice: "20500", margin: "1500" },
    ]);
    expect(out.totals).toMatchObject({ liquidations: 2, fills: 3, adlQuantity: "6", adlFilledQuantity: "6", unfilledQuantity: "0" });
  });

  it("accountValue loses what the account gave up against mark; margin rounds up onto the asset grid", () => {
    const p: PositionInput = { accountId: "s", side: "short", size: "3", entryPrice: "21000", margin: "100", accountValue: "5000" };
    // Closing 1 at 20,000 with mark 19,000: realised 1,000 instead of the 2,000 held at mark, so A loses 1,000.
    const after = afterFill(config.market, 8, D("19000"), p, { accountId: "s", quantity: "1", price: "20000", realizedPnl: "1000", remainingSize: "2" });
    expect(after).toEqual({ accountId: "s", side: "short", size: "2", entryPrice: "21000", margin: "66.66666667", accountValue: "4000" });
  });

  it("refusals name the item: /liquidated/{i}/..., a bankrupt account among the counterparties, limits", () => {
    const base: BatchRequest = { markPrice: "20000", method: "bitmex", liquidated: [{ accountId: "b1", side: "long", size: "1", entryPrice: "21000", margin: "1000", executions: [] }], counterparties: [] };
    const two = { ...base, liquidated: [...base.liquidated, { ...base.liquidated[0]!, accountId: "b2", size: "1.5" }] };
    expect(domainIssue(() => liquidateBatch(config, state("0"), two))).toMatchObject({ pointer: "/liquidated/1/size", code: "not_lot_multiple" });
    const exec = { ...base, liquidated: [{ ...base.liquidated[0]!, executions: [{ quantity: "1", price: "20000.25" }] }] };
    expect(domainIssue(() => liquidateBatch(config, state("0"), exec)).pointer).toBe("/liquidated/0/executions/0/price");
    const self = { ...base, counterparties: [{ accountId: "b1", side: "short" as const, size: "1", entryPrice: "1", margin: "1" }] };
    expect(domainIssue(() => liquidateBatch(config, state("0"), self))).toMatchObject({ pointer: "/liquidated/0/accountId", code: "self_counterparty" });
    const wide = { ...base, policy: "pro-rata" as const, liquidated: Array.from({ length: 21 }, (_, i) => ({ ...base.liquidated[0]!, accountId: `b${i}` })), counterparties: Array.from({ length: 100_000 }, (_, i) => ({ accountId: `s${i}`, side: "short" as const, size: "1", entryPrice: "1", margin: "1" })) };
    expect(domainIssue(() => liquidateBatch(config, state("0"), wide))).toMatchObject({ pointer: "/counterparties", code: "batch_too_large" });
  });
});
