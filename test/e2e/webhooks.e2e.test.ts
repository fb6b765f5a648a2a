/**
 * Signed webhooks end to end against the real local server (`npm start`, loopback delivery enabled as in local
 * development, retry delays shortened by the documented test-only WEBHOOK_RETRY_SCHEDULE_MS) and the example receiver
 * of examples/webhook-receiver.ts, which verifies every signature with the secret the creation answer showed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReceiver, verifyAdlSignature, type ReceivedEvent, type Receiver } from "../../examples/webhook-receiver";
import { authHeaders, startServer, type LocalServer } from "./server";

/** Retry delays for this file (ms, +-20% jitter); production is 5 s, 30 s, 2 min, 10 min, 1 h, then hourly. */
const SCHEDULE = "600,1200,2400";
const persistDir = mkdtempSync(join(tmpdir(), "adl-webhooks-"));
let server: LocalServer;
const receivers: Receiver[] = [];

beforeAll(async () => {
  server = await startServer({ persistDir, env: { WEBHOOK_RETRY_SCHEDULE_MS: SCHEDULE } });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  for (const r of receivers) await r.close();
  rmSync(persistDir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; json: any; headers: Headers }> {
  const headers: Record<string, string> = { ...authHeaders() };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (key) headers["idempotency-key"] = key;
  const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

const ALL_EVENTS = ["liquidation.adl", "liquidation.socialized_loss", "adl.activated", "adl.deactivated", "fund.below_floor"];

/** A receiver and an endpoint pointing at it; the receiver verifies with the secret from the creation answer. */
async function endpointWithReceiver(label: string, respond?: Parameters<typeof createReceiver>[0]["respond"]) {
  let secret = "";
  const receiver = await createReceiver({ secrets: () => [secret], respond });
  receivers.push(receiver);
  const created = await call("POST", "/v1/webhook-endpoints", { url: receiver.url, events: ALL_EVENTS, description: label }, `ep-${label}`);
  expect(created.status).toBe(201);
  secret = created.json.secret;
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  return { receiver, endpoint: created.json as { id: string; secret: string } };
}

async function configure(marketId: string, extra: Record<string, unknown> = {}) {
  const res = await call("PUT", `/v1/markets/${marketId}`, { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT", fundFloor: "1000", ...extra }, `cfg-${marketId}`);
  expect(res.status).toBe(200);
}

/** No execution covers the position, so the whole size is handed to ADL. */
const adlLiquidation = (account: string) => ({
  markPrice: "9950",
  liquidated: { accountId: account, side: "long", size: "2", entryPrice: "11000", margin: "2000" },
  executions: [],
  counterparties: [{ accountId: "s1", side: "short", size: "3", entryPrice: "11500", margin: "3000" }],
  method: "bitmex",
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ofMarket = (r: Receiver, marketId: string) => r.events.filter((e) => (e.data as { marketId?: string }).marketId === marketId);

describe("delivery", () => {
  let main: { receiver: Receiver; endpoint: { id: string; secret: string } };
  beforeAll(async () => {
    main = await endpointWithReceiver("main");
  });

  it("a liquidation that hands size to ADL delivers a signed liquidation.adl, verified with the secret from creation", async () => {
    await configure("WH-ADL");
    expect((await call("POST", "/v1/markets/WH-ADL/insurance-fund/deposits", { amount: "1500" }, "wh-adl-dep")).status).toBe(201);
    const liq = await call("POST", "/v1/markets/WH-ADL/liquidations", adlLiquidation("b1"), "wh-adl-liq");
    expect(liq.status).toBe(201);
    expect(liq.json.adl.quantity).toBe("2");
    const event = await until("liquidation.adl", () => ofMarket(main.receiver, "WH-ADL").find((e) => e.type === "liquidation.adl"));
    expect(event.id).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(event.data).toMatchObject({ marketId: "WH-ADL", liquidationId: liq.json.liquidationId, accountId: "b1", side: "long", size: "2", adl: { quantity: "2", price: liq.json.adl.price }, bankruptcyPrice: liq.json.bankruptcyPrice });
    expect(Date.parse(event.created)).toBeLessThanOrEqual(event.receivedAt);
    // The receiver accepted it only because the signature verified; a wrong secret would not.
    const req = main.receiver.requests.find((r) => r.eventId === event.id);
    expect(req?.verification).toBe(true);
    expect(verifyAdlSignature("t=1,v1=" + "0".repeat(64), "{}", [main.endpoint.secret], 1)).toEqual({ ok: false, reason: "mismatch" });

    // The delivery log: one attempt, 200, delivered, no next retry.
    const log = await call("GET", `/v1/webhook-endpoints/${main.endpoint.id}/deliveries`);
    const d = log.json.deliveries.find((x: { eventId: string }) => x.eventId === event.id);
    expect(d).toMatchObject({ status: "delivered", eventType: "liquidation.adl", nextAttemptAt: null });
    expect(d.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([200]);
  });

  it("a replayed liquidation (same Idempotency-Key) emits nothing", async () => {
    const replay = await call("POST", "/v1/markets/WH-ADL/liquidations", adlLiquidation("b1"), "wh-adl-liq");
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    // A later, new liquidation is the sentinel: once it arrived, the replay (sent before it) would have too.
    const next = await call("POST", "/v1/markets/WH-ADL/liquidations", adlLiquidation("b2"), "wh-adl-liq-2");
    expect(next.status).toBe(201);
    await until("the sentinel", () => ofMarket(main.receiver, "WH-ADL").find((e) => (e.data as { liquidationId?: string }).liquidationId === next.json.liquidationId));
    const adl = ofMarket(main.receiver, "WH-ADL").filter((e) => e.type === "liquidation.adl");
    expect(adl.map((e) => (e.data as { accountId: string }).accountId)).toEqual(["b1", "b2"]);
    expect(new Set(main.receiver.requests.filter((r) => r.eventId && adl.some((e) => e.id === r.eventId)).map((r) => r.eventId)).size).toBe(2);
  });

  it("a batch liquidation emits one liquidation.adl per item that handed size to ADL, in item order; its replay emits nothing", async () => {
    await configure("WH-BATCH");
    expect((await call("POST", "/v1/markets/WH-BATCH/insurance-fund/deposits", { amount: "100000" }, "wh-batch-dep")).status).toBe(201);
    const body = {
      markPrice: "9950",
      method: "bitmex",
      liquidated: [
        { accountId: "bb-1", side: "long", size: "2", entryPrice: "11000", margin: "2000", executions: [] },
        // Fully filled in the market: nothing to ADL, so no liquidation.adl for this item.
        { accountId: "bb-2", side: "long", size: "1", entryPrice: "10900", margin: "900", executions: [{ quantity: "1", price: "10000" }] },
        { accountId: "bb-3", side: "long", size: "1", entryPrice: "10900", margin: "900", executions: [] },
      ],
      counterparties: [{ accountId: "bs-1", side: "short", size: "5", entryPrice: "11500", margin: "5000" }],
    };
    const batch = await call("POST", "/v1/markets/WH-BATCH/liquidations/batch", body, "wh-batch-1");
    expect(batch.status).toBe(201);
    const ids = (batch.json.results as { liquidationId: string; adl: { quantity: string } }[]).map((r) => [r.liquidationId, r.adl.quantity]);
    expect(ids.map(([, q]) => q)).toEqual(["2", "0", "1"]);
    expect((await call("POST", "/v1/markets/WH-BATCH/liquidations/batch", body, "wh-batch-1")).headers.get("idempotent-replayed")).toBe("true");
    // The sentinel: a later single liquidation; once it arrived, anything the batch or its replay emitted had too.
    const next = await call("POST", "/v1/markets/WH-BATCH/liquidations", adlLiquidation("bb-4"), "wh-batch-2");
    expect(next.status).toBe(201);
    await until("the sentinel", () => ofMarket(main.receiver, "WH-BATCH").find((e) => (e.data as { liquidationId?: string }).liquidationId === next.json.liquidationId));
    const adl = ofMarket(main.receiver, "WH-BATCH").filter((e) => e.type === "liquidation.adl");
    expect(adl.map((e) => [(e.data as { liquidationId: string }).liquidationId, (e.data as { adl: { quantity: string } }).adl.quantity])).toEqual([ids[0], ids[2], [next.json.liquidationId, "2"]]);
    expect(adl.map((e) => (e.data as { cause: { operation: string } }).cause.operation)).toEqual(["liquidation-batch", "liquidation-batch", "liquidation"]);
  });

  it("the drawdown rule switching ADL on and off emits adl.activated then adl.deactivated", async () => {
    await configure("WH-DD", { fundFloor: "0", adlTrigger: { rule: "drawdown", triggerRatio: "0.3", stopRatio: "0.25" } });
    expect((await call("POST", "/v1/markets/WH-DD/insurance-fund/deposits", { amount: "10000" }, "wh-dd-1")).status).toBe(201);
    // 6,500 is 35% below the 10,000 peak: ADL on. 7,600 is 24% below: above -stopRatio, ADL off.
    const w = await call("POST", "/v1/markets/WH-DD/insurance-fund/withdrawals", { amount: "3500" }, "wh-dd-2");
    expect(w.status).toBe(201);
    expect((await call("GET", "/v1/markets/WH-DD/insurance-fund")).json.adlActive).toBe(true);
    expect((await call("POST", "/v1/markets/WH-DD/insurance-fund/deposits", { amount: "1100" }, "wh-dd-3")).status).toBe(201);
    expect((await call("GET", "/v1/markets/WH-DD/insurance-fund")).json.adlActive).toBe(false);
    const toggles = await until("both ADL events", () => {
      const list = ofMarket(main.receiver, "WH-DD").filter((e) => e.type.startsWith("adl."));
      return list.length >= 2 ? list : undefined;
    });
    expect(toggles.map((e) => e.type)).toEqual(["adl.activated", "adl.deactivated"]);
    expect(toggles.map((e) => (e.data as { fund: { balanceAfter: string } }).fund.balanceAfter)).toEqual(["6500", "7600"]);
    expect(toggles.map((e) => (e.data as { cause: { idempotencyKey: string } }).cause.idempotencyKey)).toEqual(["wh-dd-2", "wh-dd-3"]);
  });

  it("ADL with nobody to deleverage socialises the loss: liquidation.socialized_loss with the response's figures", async () => {
    await configure("WH-SL");
    expect((await call("POST", "/v1/markets/WH-SL/insurance-fund/deposits", { amount: "1500" }, "wh-sl-dep")).status).toBe(201);
    // The whole size goes to ADL and no short stands against it: all of it is unfilled and its loss socialised.
    const liq = await call("POST", "/v1/markets/WH-SL/liquidations", { ...adlLiquidation("sl-1"), counterparties: [] }, "wh-sl-liq");
    expect(liq.status).toBe(201);
    expect(liq.json.adl.quantity).toBe("2");
    expect(Number(liq.json.socializedLoss)).toBeGreaterThan(0);
    // (The deposit lifted the fund above its floor first: that adl.deactivated is not this test's subject.)
    const events = await until("liquidation.socialized_loss", () => {
      const list = ofMarket(main.receiver, "WH-SL").filter((e) => e.type.startsWith("liquidation."));
      return list.some((e) => e.type === "liquidation.socialized_loss") ? list : undefined;
    });
    expect(events.map((e) => e.type)).toEqual(["liquidation.adl", "liquidation.socialized_loss"]);
    const [adl, lost] = events as [ReceivedEvent, ReceivedEvent];
    expect(lost.data).toMatchObject({ marketId: "WH-SL", liquidationId: liq.json.liquidationId, accountId: "sl-1", socializedLoss: liq.json.socializedLoss, adl: { quantity: "2" } });
    expect(lost.id).not.toBe(adl.id);
    expect(main.receiver.requests.find((r) => r.eventId === lost.id)?.verification).toBe(true);
  });

  it("raising the floor above the balance emits fund.below_floor once; staying below emits nothing more", async () => {
    await configure("WH-FL");
    expect((await call("POST", "/v1/markets/WH-FL/insurance-fund/deposits", { amount: "1500" }, "wh-fl-dep")).status).toBe(201);
    const base = { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT" };
    expect((await call("PUT", "/v1/markets/WH-FL", { ...base, fundFloor: "2000" }, "wh-fl-cfg-2")).status).toBe(200);
    // Still below: a higher floor again is no new crossing. The deposit after it is the sentinel.
    expect((await call("PUT", "/v1/markets/WH-FL", { ...base, fundFloor: "2500" }, "wh-fl-cfg-3")).status).toBe(200);
    const sentinel = await call("POST", "/v1/markets/WH-FL/liquidations", adlLiquidation("fl-1"), "wh-fl-liq");
    expect(sentinel.status).toBe(201);
    await until("the sentinel", () => ofMarket(main.receiver, "WH-FL").find((e) => (e.data as { liquidationId?: string }).liquidationId === sentinel.json.liquidationId));
    const below = ofMarket(main.receiver, "WH-FL").filter((e) => e.type === "fund.below_floor");
    expect(below).toHaveLength(1);
    expect(below[0]!.data).toMatchObject({ marketId: "WH-FL", fund: { balanceBefore: "1500", balanceAfter: "1500", floor: "2000" }, cause: { idempotencyKey: "wh-fl-cfg-2" } });
  });

  it("the receiver fails twice, then accepts: delivered on the third attempt with the same event id", async () => {
    const failures = new Map<string, number>();
    const { receiver, endpoint } = await endpointWithReceiver("flaky", (event) => {
      if ((event.data as { marketId?: string }).marketId !== "WH-RETRY") return 200;
      const n = (failures.get(event.id) ?? 0) + 1;
      failures.set(event.id, n);
      return n <= 2 ? 503 : 200;
    });
    await configure("WH-RETRY");
    await call("POST", "/v1/markets/WH-RETRY/insurance-fund/deposits", { amount: "1500" }, "wh-retry-dep");
    const liq = await call("POST", "/v1/markets/WH-RETRY/liquidations", adlLiquidation("r1"), "wh-retry-liq");
    expect(liq.status).toBe(201);
    const event = await until("the third attempt", () => ofMarket(receiver, "WH-RETRY").find((e) => e.type === "liquidation.adl"));
    const attempts = receiver.requests.filter((r) => r.eventId === event.id);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ]);
    expect(event.attempt).toBe(3);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    console.log(`retry timings seen (schedule ${SCHEDULE} ms, +-20% jitter): ${gaps.map((g) => `${g} ms`).join(", ")}`);
    const planned = SCHEDULE.split(",").map(Number);
    gaps.forEach((g, i) => {
      expect(g).toBeGreaterThanOrEqual(planned[i]! * 0.8 - 5);
      expect(g).toBeLessThan(planned[i]! * 1.2 + 1500);
    });
    const log = await call("GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries`);
    const d = log.json.deliveries.find((x: { eventId: string }) => x.eventId === event.id);
    expect(d.status).toBe("delivered");
    expect(d.attempts.map((a: { statusCode: number; error: string | null }) => [a.statusCode, a.error])).toEqual([
      [503, "HTTP 503"],
      [503, "HTTP 503"],
      [200, null],
    ]);
  });

  it("an endpoint failing through the whole schedule is disabled and says so; redirects are not followed", async () => {
    const { receiver, endpoint } = await endpointWithReceiver("dead", (event) => ((event.data as { endpointId?: string }).endpointId ? 302 : 200));
    const test = await call("POST", `/v1/webhook-endpoints/${endpoint.id}/test`, {}, "wh-dead-test");
    expect(test.status).toBe(202);
    const total = SCHEDULE.split(",").reduce((a, b) => a + Number(b), 0);
    const state = await until(
      "the endpoint to be disabled",
      () => (receiver.requests.filter((r) => r.eventId === test.json.eventId).length > SCHEDULE.split(",").length ? true : undefined),
      total * 1.2 + 10_000,
    );
    expect(state).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    const ep = await call("GET", `/v1/webhook-endpoints/${endpoint.id}`);
    expect(ep.json.status).toBe("disabled");
    expect(ep.json.disabledReason).toContain("redirect (302) not followed");
    const log = await call("GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries`);
    const d = log.json.deliveries.find((x: { eventId: string }) => x.eventId === test.json.eventId);
    expect(d.status).toBe("failed");
    expect(d.attempts).toHaveLength(SCHEDULE.split(",").length + 1);
    expect(d.failureReason).toContain("attempts failed");
    // 302 each time, and the receiver saw every attempt itself: the redirect target was never fetched.
    expect(d.attempts.every((a: { statusCode: number }) => a.statusCode === 302)).toBe(true);
    expect((await call("POST", `/v1/webhook-endpoints/${endpoint.id}/test`, {}, "wh-dead-test-2")).status).toBe(409);
  });

  it("kill -9 after the liquidation is acknowledged and before delivery: delivered after restart, once per id", async () => {
    let killed = false;
    let held: ReceivedEvent | undefined;
    const { receiver } = await endpointWithReceiver("crash", async (event) => {
      if ((event.data as { marketId?: string }).marketId !== "WH-CRASH" || event.type !== "liquidation.adl") return 200;
      if (held === undefined) {
        // Hold the first attempt open until the server is dead: it never sees an answer.
        held = event;
        while (!killed) await new Promise((r) => setTimeout(r, 20));
      }
      return 200;
    });
    await configure("WH-CRASH");
    await call("POST", "/v1/markets/WH-CRASH/insurance-fund/deposits", { amount: "1500" }, "wh-crash-dep");
    const liq = await call("POST", "/v1/markets/WH-CRASH/liquidations", adlLiquidation("c1"), "wh-crash-liq");
    expect(liq.status).toBe(201);
    await until("the first attempt to be in flight", () => held);
    await server.kill();
    killed = true;
    await new Promise((r) => setTimeout(r, 300));
    // The held liquidation.adl never got its answer. The deposit's adl.deactivated (the market was created with ADL
    // on: no fund yet, below its floor) may or may not have been delivered before the kill: it is not under test.
    expect(ofMarket(receiver, "WH-CRASH").filter((e) => e.type === "liquidation.adl")).toEqual([]);

    server = await startServer({ persistDir, env: { WEBHOOK_RETRY_SCHEDULE_MS: SCHEDULE } });
    const event = await until("delivery after restart", () => ofMarket(receiver, "WH-CRASH").find((e) => e.type === "liquidation.adl"), 30_000);
    expect(event.id).toBe(held!.id);
    expect((event.data as { liquidationId: string }).liquidationId).toBe(liq.json.liquidationId);
    await new Promise((r) => setTimeout(r, 1500));
    const acknowledged = receiver.requests.filter((r) => r.eventId === event.id && r.status === 200);
    expect(acknowledged).toHaveLength(1);
  });
});

/**
 * A DNS-over-HTTPS resolver (application/dns-json) on loopback, standing in for the deployment's: a public name, a
 * name that resolves to a private address, and a switch that makes it fail.
 */
async function fakeResolver() {
  const zone: Record<string, Record<string, string[]>> = {
    "hooks.example.org": { A: ["93.184.216.34"], AAAA: [] },
    "internal-billing.example.org": { A: ["10.20.30.40"], AAAA: [] },
  };
  const state = { failing: false, queries: [] as string[] };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const name = url.searchParams.get("name") ?? "";
    state.queries.push(`${name} ${url.searchParams.get("type")}`);
    if (state.failing) return void res.writeHead(502).end();
    const type = url.searchParams.get("type") ?? "A";
    const entry = zone[name];
    const body = entry ? { Status: 0, Answer: (entry[type] ?? []).map((data) => ({ name, type: type === "A" ? 1 : 28, TTL: 60, data })) } : { Status: 3 };
    res.writeHead(200, { "content-type": "application/dns-json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/dns-query`, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("URL policy without loopback delivery (as deployed)", () => {
  let strict: LocalServer;
  let dns: Awaited<ReturnType<typeof fakeResolver>>;
  beforeAll(async () => {
    dns = await fakeResolver();
    strict = await startServer({ env: { WEBHOOKS_ALLOW_LOOPBACK: "false", WEBHOOK_DNS_RESOLVER: dns.url } });
  }, 120_000);
  afterAll(async () => {
    await strict?.stop();
    await dns?.close();
  });
  const create = (url: string, key: string) =>
    fetch(`${strict.url}/v1/webhook-endpoints`, {
      method: "POST",
      headers: { ...authHeaders(), "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify({ url, events: ["liquidation.adl"] }),
    });

  it("a public name resolving to a private address, or to nothing, is refused (422 /url); a resolver failure is a 503; nothing is created", async () => {
    const before = dns.state.queries.length;
    for (const [url, code] of [["https://internal-billing.example.org/hook", "private_address"], ["https://no-such-host.example.org/hook", "unresolvable_host"]] as const) {
      const res = await create(url, `dns-${code}`);
      expect({ url, status: res.status }).toEqual({ url, status: 422 });
      const body = (await res.json()) as { errors: { pointer: string; code: string; detail: string }[] };
      expect(body.errors).toEqual([{ pointer: "/url", code, detail: expect.any(String) }]);
    }
    expect(dns.state.queries.slice(before)).toEqual(expect.arrayContaining(["internal-billing.example.org A", "internal-billing.example.org AAAA", "no-such-host.example.org A"]));
    dns.state.failing = true;
    const down = await create("https://hooks.example.org/adl", "dns-down");
    dns.state.failing = false;
    expect(down.status).toBe(503);
    expect(((await down.json()) as { type: string }).type).toBe("/problems/unavailable");
    const list = await fetch(`${strict.url}/v1/webhook-endpoints`, { headers: authHeaders() });
    expect(((await list.json()) as { endpoints: unknown[] }).endpoints).toEqual([]);
  });

  it("a URL to a private or loopback address is refused with 422 naming /url; nothing is created", async () => {
    const refused = [
      "http://127.0.0.1:9/hook",
      "https://127.0.0.1/hook",
      "https://localhost/hook",
      "https://[::1]/hook",
      "https://[::ffff:127.0.0.1]/hook",
      "https://2130706433/hook",
      "https://10.0.0.8/hook",
      "https://192.168.1.1/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://[fd00::1]/hook",
      "https://[fe80::1]/hook",
      "https://metadata.google.internal/hook",
      "http://example.com/hook",
    ];
    for (const [i, url] of refused.entries()) {
      const res = await fetch(`${strict.url}/v1/webhook-endpoints`, {
        method: "POST",
        headers: { ...authHeaders(), "content-type": "application/json", "idempotency-key": `ssrf-${i}` },
        body: JSON.stringify({ url, events: ["liquidation.adl"] }),
      });
      expect({ url, status: res.status }).toEqual({ url, status: 422 });
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const body = (await res.json()) as { errors: { pointer: string; code: string }[] };
      expect(body.errors.map((e) => e.pointer)).toEqual(["/url"]);
    }
    const list = await fetch(`${strict.url}/v1/webhook-endpoints`, { headers: authHeaders() });
    expect(((await list.json()) as { endpoints: unknown[] }).endpoints).toEqual([]);
    // A public name resolving to public addresses only (the fake resolver's answer) is accepted.
    const ok = await create("https://hooks.example.org/adl", "ssrf-ok");
    expect(ok.status).toBe(201);
  });
});
