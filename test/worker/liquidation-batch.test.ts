/**
 * POST /v1/markets/{marketId}/liquidations/batch inside workerd: the batch equals the single calls (results, ledger),
 * one transaction (its entries are contiguous under concurrent deposits), identical replay, a refused item refuses
 * the batch and changes nothing.
 */
import { describe, expect, it } from "vitest";
import { parseFundConfig } from "../../src/domain/fund/config";
import { Decimal } from "../../src/domain/num/decimal";
import { afterFill } from "../../src/domain/liquidation";
import type { PositionInput } from "../../src/domain/types";
import { allLedger, call, callJson, configure, deposit, linearMarket, uniqueMarket } from "./fund-helpers";

const batchOf = (m: string, body: unknown, key: string) => callJson("POST", `/v1/markets/${m}/liquidations/batch`, body, key);
const market = parseFundConfig(linearMarket as never).market;

function body(n: number) {
  const counterparties: PositionInput[] = [
    ...Array.from({ length: 12 }, (_, i) => ({ accountId: `s-${i}`, side: "short" as const, size: String(1 + (i % 3)), entryPrice: String(10_000 + i * 70), margin: String(500 + i * 37) })),
    ...Array.from({ length: 6 }, (_, i) => ({ accountId: `l-${i}`, side: "long" as const, size: "2", entryPrice: String(9_000 + i * 50), margin: "700", accountValue: "900" })),
  ];
  const liquidated = Array.from({ length: n }, (_, i) =>
    i % 3 === 2
      ? { accountId: `bs-${i}`, side: "short", size: "1.5", entryPrice: "9000", margin: "1000", executions: [] }
      : { accountId: `bl-${i}`, side: "long", size: "2", entryPrice: "11000", margin: "2000", executions: [{ quantity: "0.5", price: i % 2 ? "10100" : "9950" }] },
  );
  return { markPrice: "9950", method: "bitmex", liquidated, counterparties };
}

const strip = (r: any) => ({ ...r, liquidationId: undefined, marketId: undefined, createdAt: undefined, ledgerEntries: r.ledgerEntries.map((e: any) => [e.kind, e.amount, e.balanceAfter]) });

describe("batch liquidations over HTTP", () => {
  it("equal the single calls with each call's counterparties = the previous call's remaining positions, ledger included", async () => {
    const a = uniqueMarket("batch-a");
    const b = uniqueMarket("batch-b");
    for (const m of [a, b]) {
      await configure(m, { ...linearMarket, fundFloor: "1000" });
      await deposit(m, "1040");
    }
    const req = body(6);
    const res = await batchOf(a, req, "batch-1");
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(201);
    let cps = req.counterparties.map((c) => ({ ...c }));
    const singles: any[] = [];
    for (const [i, item] of req.liquidated.entries()) {
      const { executions, ...liquidated } = item;
      const opposite = item.side === "long" ? "short" : "long";
      const one = await callJson("POST", `/v1/markets/${b}/liquidations`, { markPrice: req.markPrice, method: req.method, liquidated, executions, counterparties: cps.filter((c) => c.side === opposite && c.size !== "0") }, `single-${i}`);
      expect(one.status).toBe(201);
      for (const f of one.body.adl.fills) {
        const j = cps.findIndex((c) => c.side === opposite && c.accountId === f.accountId);
        cps[j] = afterFill(market, 8, new Decimal(req.markPrice), cps[j]!, f);
      }
      singles.push(one.body);
    }
    expect(res.body.results.map(strip)).toEqual(singles.map(strip));
    expect(res.body.counterparties).toEqual(cps);
    expect(res.body.results.some((r: any) => r.adl.fills.length > 0)).toBe(true);
    const la = (await allLedger(a)).map((e) => [e.kind, e.amount, e.balanceAfter]);
    const lb = (await allLedger(b)).map((e) => [e.kind, e.amount, e.balanceAfter]);
    expect(la).toEqual(lb);
    expect(res.body.totals.balanceAfter).toBe(singles[singles.length - 1].fund.balanceAfter);
    // Each item can be read back by its liquidation id exactly as the batch returned it (stored per item).
    expect(new Set(res.body.results.map((r: any) => r.liquidationId)).size).toBe(6);
  });

  it("one transaction: under concurrent deposits the batch's entries are contiguous and its fund chain is its own", async () => {
    const m = uniqueMarket("batch-atomic");
    await configure(m, { ...linearMarket, fundFloor: "0" });
    await deposit(m, "100000");
    const calls = [batchOf(m, body(30), "batch-atomic"), ...Array.from({ length: 20 }, (_, i) => deposit(m, "1", `d-${i}`))];
    const [batch] = await Promise.all(calls);
    expect(batch!.status).toBe(201);
    const ledger = (await allLedger(m)).reverse();
    const mine = ledger.filter((e) => e.idempotencyKey === "batch-atomic");
    const seqs = mine.map((e) => e.sequence);
    expect(seqs).toEqual(seqs.map((_, k) => seqs[0] + k));
    expect(mine.length).toBe(batch!.body.results.reduce((n: number, r: any) => n + r.ledgerEntries.length, 0));
    expect(mine[mine.length - 1].balanceAfter).toBe(batch!.body.totals.balanceAfter);
  });

  it("a replay returns the identical bytes; another body under the key is 409; a refused item refuses all and changes nothing", async () => {
    const m = uniqueMarket("batch-replay");
    await configure(m);
    await deposit(m, "500");
    const first = await call("POST", `/v1/markets/${m}/liquidations/batch`, body(4), "k");
    const text = await first.text();
    expect(first.status).toBe(201);
    const again = await call("POST", `/v1/markets/${m}/liquidations/batch`, body(4), "k");
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.text()).toBe(text);
    expect((await batchOf(m, body(3), "k")).status).toBe(409);

    const before = await allLedger(m);
    const bad = body(4);
    (bad.liquidated[2] as any).executions = [{ quantity: "5", price: "9950" }];
    const refused = await batchOf(m, bad, "k2");
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].pointer).toBe("/liquidated/2/executions");
    const self = body(2);
    self.counterparties.push({ accountId: "bl-0", side: "short", size: "1", entryPrice: "10000", margin: "100" });
    expect((await batchOf(m, self, "k2")).body.errors[0]).toMatchObject({ pointer: "/liquidated/0/accountId", code: "self_counterparty" });
    expect(await allLedger(m)).toEqual(before);
    expect((await batchOf(m, body(2), "k2")).status).toBe(201);
  });

  it("limits: more than 1,000 bankrupt positions is 413 before any work; a missing Idempotency-Key is 422 at the header", async () => {
    const m = uniqueMarket("batch-limits");
    await configure(m);
    const big = { ...body(1), liquidated: Array.from({ length: 1001 }, (_, i) => ({ ...body(1).liquidated[0]!, accountId: `b-${i}` })) };
    const res = await batchOf(m, big, "k");
    expect(res.status).toBe(413);
    expect(res.body.errors[0].pointer).toBe("/liquidated");
    const noKey = await callJson("POST", `/v1/markets/${m}/liquidations/batch`, body(1));
    expect(noKey.status).toBe(422);
    expect(noKey.body.errors[0].pointer).toMatch(/^#header\/idempotency-key/);
  });
});
