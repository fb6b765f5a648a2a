/**
 * Webhooks inside workerd: the market object's outbox is written in the ledger change's transaction (rolled back
 * with it, never written by a replay or a refusal), forwarded to the tenant's WebhookHub idempotently by event id;
 * the endpoint routes never show a secret outside creation and rotation, and refuse private URLs (the worker tests,
 * like a deployment, do not enable loopback delivery).
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Mutation } from "../../src/durable-objects/fund-rpc";
import type { MarketFund } from "../../src/durable-objects/market-fund";
import type { WebhookHub } from "../../src/durable-objects/webhook-hub";
import type { Bindings } from "../../src/env";
import { signatureHeader, verifySignature } from "../../src/domain/webhooks/signature";
import { callJson } from "./fund-helpers";
import { TEST_KEYS } from "./keys";

const bindings = env as unknown as Bindings;
let n = 0;
const unique = (p: string) => `${p}-${Date.now().toString(36)}-${n++}`;
const market = (tenant: string, id: string) => bindings.MARKET_FUND.get(bindings.MARKET_FUND.idFromName(`${tenant}:${id}`)) as DurableObjectStub<MarketFund>;
const hubOf = (tenant: string) => bindings.WEBHOOK_HUB.get(bindings.WEBHOOK_HUB.idFromName(tenant)) as DurableObjectStub<WebhookHub>;
const mut = (marketId: string, key: string): Mutation => ({ marketId, idempotencyKey: key, requestDigest: key });
const config = { contractType: "linear" as const, contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT", fundFloor: "1000" };
const adlLiquidation = {
  markPrice: "9950",
  liquidated: { accountId: "b1", side: "long" as const, size: "2", entryPrice: "11000", margin: "2000" },
  executions: [],
  counterparties: [{ accountId: "s1", side: "short" as const, size: "3", entryPrice: "11500", margin: "3000" }],
  method: "bitmex" as const,
};

type Sql = { exec<T>(q: string, ...b: unknown[]): { toArray(): T[] } };
const rows = <T>(sql: Sql, q: string) => sql.exec<T>(q).toArray();

/** Events the tenant's hub has received for a market, in arrival order. */
async function hubEvents(tenant: string, marketId: string): Promise<{ id: string; type: string }[]> {
  return runInDurableObject(hubOf(tenant), (_i, state) =>
    rows<{ id: string; type: string; body: string }>(state.storage.sql as unknown as Sql, `SELECT id, type, body FROM events ORDER BY rowid`)
      .filter((r) => (JSON.parse(r.body) as { data: { marketId?: string } }).data.marketId === marketId)
      .map(({ id, type }) => ({ id, type })),
  );
}

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("outbox in the ledger's transaction", () => {
  it("a liquidation handing size to ADL writes its event with the ledger change; the alarm forwards it once; a replay adds nothing", async () => {
    const tenant = unique("t");
    const id = unique("M");
    const stub = market(tenant, id);
    await stub.putMarket(mut(id, "cfg"), config, tenant);
    await stub.deposit(mut(id, "dep"), { amount: "1500" });
    const liq = await stub.liquidate(mut(id, "liq"), adlLiquidation);
    expect(liq.ok).toBe(true);
    const events = await waitFor(async () => {
      const e = await hubEvents(tenant, id);
      return e.some((x) => x.type === "liquidation.adl") ? e : undefined;
    });
    expect(events.map((e) => e.type)).toEqual(["adl.deactivated", "liquidation.adl"]);
    const replay = await stub.liquidate(mut(id, "liq"), adlLiquidation);
    expect(replay.ok && replay.replayed).toBe(true);
    // A refusal writes nothing either.
    expect((await stub.withdraw(mut(id, "too-much"), { amount: "99999" })).ok).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(await hubEvents(tenant, id)).toEqual(events);
    const left = await runInDurableObject(stub, (_i, state) => rows<{ n: number }>(state.storage.sql as unknown as Sql, `SELECT COUNT(*) AS n FROM webhook_outbox`)[0]!.n);
    expect(left).toBe(0);
  });

  it("a transaction that fails after the event was written rolls back ledger and event together", async () => {
    const tenant = unique("t");
    const id = unique("M");
    const stub = market(tenant, id);
    await stub.putMarket(mut(id, "cfg"), config, tenant);
    await stub.deposit(mut(id, "dep"), { amount: "1500" });
    await waitFor(async () => ((await hubEvents(tenant, id)).length > 0 ? true : undefined));
    const outcome = await runInDurableObject(stub, async (instance, state) => {
      const sql = state.storage.sql as unknown as Sql;
      const store = (instance as unknown as { store: { remember: (...a: unknown[]) => void; appendOutbox: (...a: unknown[]) => number } }).store;
      const ledgerBefore = rows<{ n: number }>(sql, `SELECT COUNT(*) AS n FROM ledger`)[0]!.n;
      // Fails after the ledger entries and the outbox row are written, before the idempotency record.
      const remember = store.remember;
      let outboxWritten = 0;
      const append = store.appendOutbox;
      store.appendOutbox = (...a: unknown[]) => {
        outboxWritten++;
        return append.apply(store, a);
      };
      store.remember = () => {
        throw new Error("disk full (simulated)");
      };
      const thrown = await instance.liquidate(mut(id, "liq-fail"), adlLiquidation).then(
        () => null,
        (e: Error) => e.message,
      );
      store.remember = remember;
      store.appendOutbox = append;
      return {
        thrown,
        outboxWritten,
        ledger: rows<{ n: number }>(sql, `SELECT COUNT(*) AS n FROM ledger`)[0]!.n - ledgerBefore,
        outbox: rows<{ n: number }>(sql, `SELECT COUNT(*) AS n FROM webhook_outbox`)[0]!.n,
        liquidations: rows<{ n: number }>(sql, `SELECT COUNT(*) AS n FROM liquidations`)[0]!.n,
      };
    });
    expect(outcome).toEqual({ thrown: "disk full (simulated)", outboxWritten: 1, ledger: 0, outbox: 0, liquidations: 0 });
    await new Promise((r) => setTimeout(r, 200));
    expect((await hubEvents(tenant, id)).map((e) => e.type)).toEqual(["adl.deactivated"]);
    // The key was not consumed: the same request now succeeds and emits its event once.
    expect((await stub.liquidate(mut(id, "liq-fail"), adlLiquidation)).ok).toBe(true);
    await waitFor(async () => ((await hubEvents(tenant, id)).some((e) => e.type === "liquidation.adl") ? true : undefined));
  });

  it("the hub is idempotent by event id: a re-forwarded event creates no second delivery", async () => {
    const tenant = unique("t");
    const hub = hubOf(tenant);
    await runInDurableObject(hub, (_i, state) => {
      // An endpoint row directly (the URL policy is the routes' test): deliveries need a subscriber. Its address is a
      // documentation range, so the alarm refuses to send at send time and nothing leaves the test.
      state.storage.sql.exec(
        `INSERT INTO endpoints (id, url, events, description, secret, status, created_at, updated_at) VALUES ('we_000000000000000000000001', 'https://203.0.113.9/x', '["liquidation.adl"]', NULL, 'whsec_test', 'enabled', 0, 0)`,
      );
    });
    const event = { id: "evt_0001", type: "liquidation.adl" as const, createdMs: 1, body: `{"id":"evt_0001"}` };
    const first = await hub.enqueue([event]);
    const second = await hub.enqueue([event, { ...event, id: "evt_0002", type: "adl.activated" as const }]);
    expect(first).toEqual({ accepted: 1, duplicates: 0, deliveriesCreated: 1 });
    expect(second).toEqual({ accepted: 1, duplicates: 1, deliveriesCreated: 0 });
    const deliveries = await runInDurableObject(hub, (_i, state) => rows<{ n: number }>(state.storage.sql as unknown as Sql, `SELECT COUNT(*) AS n FROM deliveries`)[0]!.n);
    expect(deliveries).toBe(1);
  });
});

describe("endpoint routes", () => {
  const key = TEST_KEYS.tenantB.key;
  it("the secret appears only in the creation and rotation answers; lists and reads never show it", async () => {
    const created = await callJson("POST", "/v1/webhook-endpoints", { url: "https://hooks.example.org/adl", events: ["liquidation.adl", "adl.activated"], description: "desk" }, "ep-1", key);
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^whsec_/);
    const replay = await callJson("POST", "/v1/webhook-endpoints", { url: "https://hooks.example.org/adl", events: ["liquidation.adl", "adl.activated"], description: "desk" }, "ep-1", key);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.id).toBe(created.body.id);
    const reused = await callJson("POST", "/v1/webhook-endpoints", { url: "https://hooks.example.org/other", events: ["liquidation.adl"] }, "ep-1", key);
    expect([reused.status, reused.body.type]).toEqual([409, "/problems/idempotency-key-reused"]);

    const list = await callJson("GET", "/v1/webhook-endpoints", undefined, undefined, key);
    const one = await callJson("GET", `/v1/webhook-endpoints/${created.body.id}`, undefined, undefined, key);
    for (const text of [JSON.stringify(list.body), JSON.stringify(one.body)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain("whsec_");
    }
    expect(list.body.endpoints).toHaveLength(1);
    expect(one.body).toMatchObject({ id: created.body.id, status: "enabled", events: ["liquidation.adl", "adl.activated"], previousSecretExpiresAt: null });

    const rotated = await callJson("POST", `/v1/webhook-endpoints/${created.body.id}/rotate-secret`, {}, "rot-1", key);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    const expires = Date.parse(rotated.body.previousSecretExpiresAt);
    expect(expires - Date.now()).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    expect(JSON.stringify((await callJson("GET", `/v1/webhook-endpoints/${created.body.id}`, undefined, undefined, key)).body)).not.toContain("whsec_");

    // Other tenants do not see it.
    expect((await callJson("GET", `/v1/webhook-endpoints/${created.body.id}`)).status).toBe(404);
    expect((await callJson("GET", "/v1/webhook-endpoints")).body.endpoints.some((e: { id: string }) => e.id === created.body.id)).toBe(false);

    const deleted = await callJson("DELETE", `/v1/webhook-endpoints/${created.body.id}`, undefined, "del-1", key);
    expect(deleted.status).toBe(200);
    expect((await callJson("GET", `/v1/webhook-endpoints/${created.body.id}`, undefined, undefined, key)).status).toBe(404);
    expect((await callJson("DELETE", `/v1/webhook-endpoints/${created.body.id}`, undefined, "del-1", key)).headers.get("idempotent-replayed")).toBe("true");
  });

  it("private, loopback and non-https URLs are refused (422, /url) without loopback delivery; bad fields name their pointer", async () => {
    for (const [i, url] of ["http://127.0.0.1:8080/x", "https://[::ffff:10.0.0.1]/x", "https://0x7f.1/x", "https://intranet/x", "ftp://example.com/x"].entries()) {
      const res = await callJson("POST", "/v1/webhook-endpoints", { url, events: ["liquidation.adl"] }, `bad-${i}`);
      expect({ url, status: res.status, pointers: res.body.errors?.map((e: { pointer: string }) => e.pointer) }).toEqual({ url, status: 422, pointers: ["/url"] });
    }
    const badEvents = await callJson("POST", "/v1/webhook-endpoints", { url: "https://hooks.example.org/x", events: ["liquidation.adl", "nope"] }, "bad-ev");
    expect(badEvents.status).toBe(422);
    expect(badEvents.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(["/events/1"]);
    const noKey = await callJson("POST", "/v1/webhook-endpoints", { url: "https://hooks.example.org/x", events: ["liquidation.adl"] });
    expect(noKey.status).toBe(422);
    const readOnly = await callJson("POST", "/v1/webhook-endpoints", { url: "https://hooks.example.org/x", events: ["liquidation.adl"] }, "ro", TEST_KEYS.fundRead.key);
    expect(readOnly.status).toBe(403);
  });

  it("during a rotation the signature header carries one v1= per live secret and either verifies", async () => {
    const header = await signatureHeader(["whsec_new", "whsec_old"], 1_800_000_000, `{"id":"evt_1"}`);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    for (const s of ["whsec_new", "whsec_old"]) expect(await verifySignature(s, header, `{"id":"evt_1"}`, 1_800_000_100)).toBe("ok");
    expect(await verifySignature("whsec_other", header, `{"id":"evt_1"}`, 1_800_000_100)).toBe("mismatch");
    expect(await verifySignature("whsec_new", header, `{"id":"evt_2"}`, 1_800_000_100)).toBe("mismatch");
    expect(await verifySignature("whsec_new", header, `{"id":"evt_1"}`, 1_800_000_301)).toBe("outside-tolerance");
  });
});
