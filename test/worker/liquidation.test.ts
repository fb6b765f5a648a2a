/** POST /v1/markets/{marketId}/liquidations: the whole waterfall over HTTP, replays, bad input, concurrency. */
import { describe, expect, it } from "vitest";
import { allLedger, callJson, configure, counterparties, deposit, linearMarket, uniqueMarket } from "./fund-helpers";

const liquidate = (m: string, body: unknown, key: string) => callJson("POST", `/v1/markets/${m}/liquidations`, body, key);
const longBankrupt = (size: string, entryPrice = "11000", margin = "1000") => ({ accountId: "bankrupt", side: "long", size, entryPrice, margin });

describe("waterfall", () => {
  it("Gate's example over HTTP: 1 BTC long, BP 10,000, filled at 10,100: 100 USDT into the fund, nothing to ADL", async () => {
    const m = uniqueMarket("gate");
    await configure(m);
    await deposit(m, "5000");
    const res = await liquidate(m, { markPrice: "10050", liquidated: longBankrupt("1"), executions: [{ quantity: "1", price: "10100" }], counterparties: [], method: "bitmex" }, "liq-1");
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      bankruptcyPrice: "10000",
      executions: [{ quantity: "1", price: "10100", fundDelta: "100" }],
      fund: { balanceBefore: "5000", credited: "100", drawn: "0", balanceAfter: "5100" },
      adl: { quantity: "0", fills: [] },
      socializedLoss: "0",
      unfilledQuantity: "0",
      conservation: { bankruptLoss: "-100", fundCredited: "100" },
    });
    expect(res.body.ledgerEntries).toMatchObject([{ kind: "liquidation_credit", amount: "100", balanceAfter: "5100", liquidationId: res.body.liquidationId }]);
    expect((await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body.balance).toBe("5100");
  });

  it("dYdX fee cap over HTTP: the fund keeps 0.5% of the notional, the rest of the surplus returns to the account", async () => {
    const m = uniqueMarket("dydx");
    await configure(m);
    const res = await liquidate(m, { markPrice: "50000", liquidated: longBankrupt("1", "55000", "5500"), executions: [{ quantity: "1", price: "50000" }], counterparties: [], method: "bitmex", liquidationFeeRate: "0.005" }, "k");
    expect(res.body).toMatchObject({ bankruptcyPrice: "49500", executions: [{ fundDelta: "250", returnedToAccount: "250" }], fund: { credited: "250" }, returnedToAccount: "250" });
  });

  it("a fund at its floor pays nothing: the loss fill and the remainder are deleveraged at BP against the ranked shorts", async () => {
    const m = uniqueMarket("floor");
    await configure(m, { ...linearMarket, fundFloor: "1000" });
    await deposit(m, "1000");
    const res = await liquidate(
      m,
      { markPrice: "9900", liquidated: longBankrupt("2", "11000", "2000"), executions: [{ quantity: "1", price: "9900" }], counterparties: counterparties(3, "short"), method: "bitmex" },
      "k",
    );
    expect(res.status).toBe(201);
    expect(res.body.fund).toMatchObject({ balanceBefore: "1000", drawn: "0", balanceAfter: "1000", drawCapacity: "0", adlActive: true });
    expect(res.body.executions).toEqual([{ quantity: "0", requestedQuantity: "1", price: "9900", fundDelta: "0", returnedToAccount: "0" }]);
    expect(res.body.adl).toMatchObject({ quantity: "2", price: "10000", filledQuantity: "2" });
    expect(res.body.adl.fills.reduce((a: number, f: { quantity: string }) => a + Number(f.quantity), 0)).toBe(2);
    // The 1-contract fill at 9,900 would have lost 100; the counterparties absorb it by closing at BP instead.
    expect(res.body.conservation).toEqual({ bankruptLoss: "200", fundDrawn: "0", fundCredited: "0", adlTransferred: "200", socializedLoss: "0", returnedToAccount: "0" });
    expect(res.body.ledgerEntries).toEqual([]);
  });

  it("what ADL cannot fill is reported as socialised loss and unfilled quantity", async () => {
    const m = uniqueMarket("social");
    await configure(m);
    const res = await liquidate(
      m,
      { markPrice: "9800", liquidated: longBankrupt("3"), executions: [], counterparties: counterparties(1, "short"), method: "binance" },
      "k",
    );
    // BP = 11,000 - 1,000/3 = 10,666.666.. -> 10,666.7 (long: up). 1 of 3 contracts fills; 2 stay open, valued at mark.
    expect(res.body).toMatchObject({ bankruptcyPrice: "10666.7", adl: { quantity: "3", filledQuantity: "1" }, unfilledQuantity: "2", socializedLoss: "1733.4" });
  });

  it("inverse market: the fund pays in coin, rounded up in magnitude", async () => {
    const m = uniqueMarket("inverse");
    await configure(m, { contractType: "inverse", contractSize: "1", lotSize: "1", tickSize: "0.5", settlementAsset: "BTC" });
    await deposit(m, "1");
    const res = await liquidate(
      m,
      { markPrice: "45000", liquidated: { accountId: "b", side: "long", size: "10000", entryPrice: "50000", margin: "0.02" }, executions: [{ quantity: "10000", price: "45000" }], counterparties: [], method: "bitmex" },
      "k",
    );
    expect(res.body).toMatchObject({ bankruptcyPrice: "45455", fund: { drawn: "0.00222443", balanceAfter: "0.99777557" }, adl: { quantity: "0" } });
  });

  it("a replay returns the identical response (same liquidation id, entries, fills); another body under the key is 409", async () => {
    const m = uniqueMarket("replay");
    await configure(m);
    await deposit(m, "50");
    const body = { markPrice: "9900", liquidated: longBankrupt("2", "11000", "2000"), executions: [{ quantity: "1", price: "9900" }], counterparties: counterparties(5, "short"), method: "random", seed: "s1" };
    const first = await liquidate(m, body, "liq");
    expect(first.body.fund.drawn).toBe("50");
    const again = await liquidate(m, body, "liq");
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await liquidate(m, { ...body, seed: "s2" }, "liq")).status).toBe(409);
    expect(await allLedger(m)).toHaveLength(2);
  });

  it("invalid counterparties or executions are refused before the fund changes, and the key stays usable", async () => {
    const m = uniqueMarket("invalid");
    await configure(m);
    await deposit(m, "500");
    const bad = { markPrice: "9900", liquidated: longBankrupt("1"), executions: [{ quantity: "1", price: "9900" }], counterparties: [{ accountId: "x", side: "long", size: "1", entryPrice: "1", margin: "1" }], method: "bitmex" };
    const res = await liquidate(m, bad, "k");
    expect(res.status).toBe(422);
    expect(res.body.errors[0].pointer).toBe("/counterparties/0/side");
    const tooBig = await liquidate(m, { ...bad, counterparties: [], executions: [{ quantity: "2", price: "9900" }] }, "k");
    expect(tooBig.status).toBe(422);
    const lot = await liquidate(m, { ...bad, counterparties: [], executions: [{ quantity: "0.0005", price: "9900" }] }, "k");
    expect(lot.body.errors[0]).toMatchObject({ pointer: "/executions/0/quantity", code: "not_lot_multiple" });
    expect(await allLedger(m)).toHaveLength(1);
    expect((await liquidate(m, { ...bad, counterparties: [] }, "k")).status).toBe(201);
  });

  it("unknown market: 404", async () => {
    expect((await liquidate(uniqueMarket("none"), { markPrice: "1", liquidated: longBankrupt("1"), executions: [], counterparties: [], method: "bitmex" }, "k")).status).toBe(404);
  });
});

describe("concurrency", () => {
  it("200 concurrent liquidations and deposits end with the exact expected balance and ledger", async () => {
    const m = uniqueMarket("c200");
    await configure(m);
    await deposit(m, "100000", "seed");
    // BP = 11,000 - 1,500/1.5 = 10,000. 100 liquidations each credit exactly 10 (1 contract filled at 10,010) and
    // paying exactly 5 (0.5 contracts at 9,990), 100 deposits of 7: expected 100,000 + 100*(10 - 5) + 100*7 = 101,200.
    const calls = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0
        ? liquidate(
            m,
            { markPrice: "10000", liquidated: longBankrupt("1.5", "11000", "1500"), executions: [{ quantity: "1", price: "10010" }, { quantity: "0.5", price: "9990" }], counterparties: counterparties(10, "short"), method: "bitmex" },
            `liq-${i}`,
          )
        : deposit(m, "7", `dep-${i}`),
    );
    const results = await Promise.all(calls);
    expect(results.every((r) => r.status === 201)).toBe(true);
    const fund = (await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body;
    expect(fund.balance).toBe("101200");
    const ledger = await allLedger(m);
    expect(ledger).toHaveLength(1 + 100 * 2 + 100);
    const sum = ledger.reduce((a, e) => a + Number(e.amount), 0);
    expect(sum).toBe(101200);
    // Sequences are dense and each balanceAfter is the running sum in sequence order.
    const ordered = [...ledger].reverse();
    let running = 0;
    ordered.forEach((e, i) => {
      expect(e.sequence).toBe(i + 1);
      running += Number(e.amount);
      expect(Number(e.balanceAfter)).toBe(running);
    });
    expect(fund.version).toBe(ledger.length);
  });
});

describe("drawdown trigger over HTTP", () => {
  it("ADL switches on at -30% from the peak, the fund then pays nothing, and a deposit that recovers past -25% switches it off", async () => {
    const m = uniqueMarket("drawdown");
    await configure(m, { ...linearMarket, adlTrigger: { rule: "drawdown", triggerRatio: "0.3", stopRatio: "0.25" } });
    await deposit(m, "1000");
    // A 400 loss (4 contracts filled 100 below BP 10,000): the fund pays only down to 1000 * 0.7 = 700.
    const loss = (key: string) =>
      liquidate(m, { markPrice: "9900", liquidated: longBankrupt("4", "11000", "4000"), executions: [{ quantity: "4", price: "9900" }], counterparties: counterparties(10, "short"), method: "bitmex" }, key);
    const first = await loss("l1");
    expect(first.body.fund).toMatchObject({ balanceBefore: "1000", drawn: "300", balanceAfter: "700", effectiveFloor: "700", adlActive: true });
    expect(first.body.adl).toMatchObject({ quantity: "1", filledQuantity: "1" });
    let fund = (await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body;
    expect(fund).toMatchObject({ balance: "700", peakBalance: "1000", drawdownRatio: "-0.3", adlActive: true });
    const second = await loss("l2");
    expect(second.body.fund).toMatchObject({ drawn: "0", drawCapacity: "0", adlActive: true });
    await deposit(m, "50");
    expect((await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body.adlActive).toBe(true);
    await deposit(m, "0.01");
    fund = (await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body;
    expect(fund).toMatchObject({ balance: "750.01", adlActive: false });
  });
});

describe("liquidation replays under concurrency", () => {
  it("50 concurrent replays of one liquidation key book it once and answer 50 identical bodies", async () => {
    const m = uniqueMarket("liq-replay50");
    await configure(m);
    await deposit(m, "1000");
    const body = { markPrice: "10000", liquidated: longBankrupt("1.5", "11000", "1500"), executions: [{ quantity: "1", price: "10010" }, { quantity: "0.5", price: "9990" }], counterparties: counterparties(100, "short"), method: "hyperliquid" };
    const results = await Promise.all(Array.from({ length: 50 }, () => liquidate(m, body, "same-liq")));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(await allLedger(m)).toHaveLength(3);
    expect((await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body.balance).toBe("1005");
  });
});
