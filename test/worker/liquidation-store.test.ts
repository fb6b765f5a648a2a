/**
 * Stored liquidation responses: the Durable Object keeps the complete response (in chunks under SQLite's 2 MB value
 * limit), a replay returns those bytes, and the response can be read back by liquidation id.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { MarketFund } from "../../src/durable-objects/market-fund";
import type { Bindings } from "../../src/env";
import { FundStore, RESPONSE_CHUNK_CHARS } from "../../src/durable-objects/fund-store";
import { call, configure, deposit, uniqueMarket } from "./fund-helpers";
import { TEST_KEYS } from "./keys";

const ns = (env as unknown as Bindings).MARKET_FUND;

describe("stored liquidation responses", () => {
  it("a 20,000-fill response (several chunks) replays byte for byte and reads back by id", async () => {
    const m = uniqueMarket("big");
    await configure(m);
    await deposit(m, "1000");
    const n = 20_000;
    const counterparties = Array.from({ length: n }, (_, i) => ({ accountId: `short-${i}`, side: "short", size: "1", entryPrice: String(10_000 + (i % 50) * 10), margin: "1000" }));
    const body = { markPrice: "9900", liquidated: { accountId: "bankrupt", side: "long", size: String(n), entryPrice: "11000", margin: String(1000 * n) }, executions: [], counterparties, method: "bitmex" };
    const first = await call("POST", `/v1/markets/${m}/liquidations`, body, "big-1");
    const text = await first.text();
    expect(first.status, text.slice(0, 500)).toBe(201);
    expect(text.length).toBeGreaterThan(2 * RESPONSE_CHUNK_CHARS);
    const parsed = JSON.parse(text);
    expect(parsed.adl.fills).toHaveLength(n);
    const again = await call("POST", `/v1/markets/${m}/liquidations`, body, "big-1");
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.text()).toBe(text);
    const stub = ns.get(ns.idFromName(`${TEST_KEYS.tenantA.tenant}:${m}`)) as DurableObjectStub<MarketFund>;
    expect(await stub.liquidationResponse(parsed.liquidationId)).toBe(text);
    expect(await stub.liquidationResponse("liq_unknown")).toBeNull();
    await runInDurableObject(stub, (_i, state) => {
      const rows = state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM stored_responses WHERE owner_id = ?`, parsed.liquidationId).one().n;
      expect(rows).toBeGreaterThan(2);
    });
  }, 120_000);

  it("chunks never split a surrogate pair, and the empty body round-trips", async () => {
    const stub = ns.get(ns.idFromName(uniqueMarket("chunks"))) as DurableObjectStub<MarketFund>;
    await runInDurableObject(stub, (_i, state) => {
      const store = new FundStore(state.storage.sql);
      const body = "a" + "😀".repeat(RESPONSE_CHUNK_CHARS);
      store.putResponse("x", body);
      expect(store.response("x")).toBe(body);
      store.putResponse("empty", "");
      expect(store.response("empty")).toBe("");
      expect(store.response("none")).toBeNull();
    });
  });

  it("a key stored before responses were (schema v2: the fund decision only) replays the identical response", async () => {
    const m = uniqueMarket("legacy");
    await configure(m);
    await deposit(m, "1002");
    const counterparties = Array.from({ length: 5 }, (_, i) => ({ accountId: `s-${i}`, side: "short", size: "1", entryPrice: String(10_000 + i * 100), margin: "1000" }));
    const body = { markPrice: "9950", liquidated: { accountId: "b", side: "long", size: "2", entryPrice: "11000", margin: "2000" }, executions: [{ quantity: "1", price: "10010" }, { quantity: "0.5", price: "9990" }], counterparties, method: "bitmex" };
    const first = await call("POST", `/v1/markets/${m}/liquidations`, body, "old-key");
    const text = await first.text();
    expect(first.status).toBe(201);
    const stub = ns.get(ns.idFromName(`${TEST_KEYS.tenantA.tenant}:${m}`)) as DurableObjectStub<MarketFund>;
    await runInDurableObject(stub, (_i, state) => {
      // Rewrite the key's row as v2 stored it (the LiquidationRecord) and drop the stored response.
      const sql = state.storage.sql;
      const record = sql.exec<{ record: string }>(`SELECT record FROM liquidations`).one().record;
      sql.exec(`UPDATE idempotency SET response = ? WHERE key = 'old-key'`, record);
      sql.exec(`DELETE FROM stored_responses`);
    });
    const again = await call("POST", `/v1/markets/${m}/liquidations`, body, "old-key");
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.text()).toBe(text);
  });
});
