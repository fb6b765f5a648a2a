// Every operation in openapi.yaml, called through the generated SDK against the real local server (the README's start
// command on a free port with its own storage): its success path and its error paths. The last test checks, from
// what the SDK actually sent and received, that every operation was called and every documented status was seen.
import { AdlApiError, createAdlClient, unwrap, type AdlClient, type operations, type Schemas } from "@adl/sdk";
import type { Middleware } from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSpecOperations, type SpecOperation } from "./sdk-operations";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DEV_KEYS, startServer, type LocalServer } from "./server";
import { createReceiver, type Receiver } from "../../examples/webhook-receiver";

const SPEC = loadSpecOperations();

/**
 * Documented statuses that a test against a healthy local server cannot produce on purpose, with the reason. Every
 * other documented status of every operation must be observed below.
 */
const UNREACHABLE: Record<string, string> = {
  "429": "the local dev keys are on the bulk tier; the budget is not exhausted by a test",
  "500": "an internal error is a bug, not a contract",
};

// The public local-only dev keys of .dev.vars.example; never valid in production.
const { dev: DEV_KEY, devB: DEV_B_KEY, readOnly: READONLY_KEY } = DEV_KEYS;
const READONLY_SCOPES = ["adl:compute", "fund:read", "simulations:read"];
const AUTH_SPEC = SPEC.filter((op) => op.scopes !== null);

/** 403 needs a key without the operation's scope; with only the dev keys it cannot happen where they all hold it. */
function unreachable(op: SpecOperation, status: string): boolean {
  if (status in UNREACHABLE) return true;
  return status === "403" && (op.scopes ?? []).every((scope) => READONLY_SCOPES.includes(scope));
}

let server: LocalServer;
let adl: AdlClient;
/** "POST /v1/adl/rankings" -> statuses the SDK received for it. */
const observed = new Map<string, Set<number>>();

const recorder: Middleware = {
  onResponse({ request, response, schemaPath }) {
    const key = `${request.method} ${schemaPath}`;
    if (!observed.has(key)) observed.set(key, new Set());
    observed.get(key)?.add(response.status);
  },
};

/**
 * The deployment's DNS-over-HTTPS resolver for webhook hosts, faked on loopback: one public name, one name whose
 * lookup fails (so POST /v1/webhook-endpoints answers its documented 503), every other name absent.
 */
let resolver: HttpServer | undefined;
async function fakeResolver(): Promise<string> {
  resolver = createHttpServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const name = url.searchParams.get("name");
    if (name === "resolver-down.example.org") return void res.writeHead(502).end();
    const type = url.searchParams.get("type");
    const body = name === "hooks.example.org" ? { Status: 0, Answer: type === "A" ? [{ name, type: 1, TTL: 60, data: "93.184.216.34" }] : [] } : { Status: 3 };
    res.writeHead(200, { "content-type": "application/dns-json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((ok) => resolver!.listen(0, "127.0.0.1", ok));
  return `http://127.0.0.1:${(resolver.address() as AddressInfo).port}/dns-query`;
}

beforeAll(async () => {
  server = await startServer({ env: { WEBHOOK_DNS_RESOLVER: await fakeResolver() } });
  adl = createAdlClient({ baseUrl: server.url, apiKey: DEV_KEY, retries: 0 });
  adl.use(recorder);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await webhookReceiver?.close();
  await new Promise((ok) => (resolver ? resolver.close(ok) : ok(undefined)));
});

/** Resolves to the AdlApiError the call throws (fails the test when it succeeds). */
async function problemOf(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<AdlApiError> {
  const error = await unwrap(call).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail").toBeInstanceOf(AdlApiError);
  const apiError = error as AdlApiError;
  expect(apiError.response.headers.get("content-type")).toContain("application/problem+json");
  expect(apiError.problem.status).toBe(apiError.status);
  expect(apiError.requestId).toBeTruthy();
  return apiError;
}

/** Decimal strings on the wire: strings, never exponent notation. */
function expectDecimal(value: unknown) {
  expect(typeof value).toBe("string");
  expect(value).toMatch(/^-?\d+(\.\d+)?$/);
}

const linear = { contractType: "linear" as const, contractSize: "1", lotSize: "0.001", tickSize: "0.01" };

/** A small stress run (computed within the request): a 40-position book and a 15% shock. */
function simulationBody(): Schemas["SimulationRequest"] {
  const positions = Array.from({ length: 40 }, (_, i) => ({
    accountId: `acct-${i}`,
    side: (i % 2 === 0 ? "long" : "short") as "long" | "short",
    size: String(1 + (i % 3)),
    entryPrice: String(i % 2 === 0 ? 9900 + i * 10 : 10100 - i * 5),
    margin: String(300 + i * 40),
  }));
  return {
    market: { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" },
    markPrice: "10000",
    positions,
    fund: { balance: "500" },
    liquidation: { maintenanceMarginRate: "0.005" },
    scenario: { shock: { drop: "0.15", steps: 5 } },
    impact: { model: "linear", lambda: "2" },
    policies: ["queue:bitmex", "pro-rata"],
  };
}

/** One success-and-errors scenario per operationId; the spec decides which must exist (see the first describe). */
type Case = () => Promise<void>;
const cases: Partial<Record<keyof operations, Case>> = {
  async positionRisk() {
    const data = await unwrap(
      adl.POST("/v1/positions/risk", {
        body: {
          market: linear,
          markPrice: "21000",
          maintenanceMarginRate: "0.005",
          positions: [
            { accountId: "alice", side: "long", size: "1", entryPrice: "20000", margin: "400" },
            { accountId: "bob", side: "short", size: "0.5", entryPrice: "20000", margin: "1000" },
          ],
        },
      }),
    );
    expect(data.positions.map((p) => [p.accountId, p.side])).toEqual([
      ["alice", "long"],
      ["bob", "short"],
    ]);
    for (const p of data.positions) {
      for (const v of [p.notional, p.unrealizedPnl, p.pnlRatio]) expectDecimal(v);
      for (const v of [p.effectiveLeverage, p.bankruptcyPrice, p.liquidationPrice]) if (v !== null) expectDecimal(v);
    }
    expect(Number(data.positions[0]?.unrealizedPnl)).toBe(1000);

    // A JSON number where a decimal string belongs: 422 naming the field by pointer.
    const bad = await problemOf(
      adl.POST("/v1/positions/risk", {
        body: {
          market: linear,
          markPrice: "21000",
          maintenanceMarginRate: "0.005",
          positions: [{ accountId: "alice", side: "long", size: 1 as unknown as string, entryPrice: "20000", margin: "400" }],
        },
      }),
    );
    expect(bad.status).toBe(422);
    expect(bad.code).toBe("validation-error");
    expect(bad.problem.errors?.map((e) => e.pointer)).toEqual(["/positions/0/size"]);
  },

  async rankPositions() {
    const data = await unwrap(
      adl.POST("/v1/adl/rankings", {
        body: {
          market: linear,
          markPrice: "21000",
          method: "bitmex",
          indicator: "bybit",
          positions: [
            { accountId: "alice", side: "long", size: "2", entryPrice: "19000", margin: "3800" },
            { accountId: "bob", side: "long", size: "1", entryPrice: "18000", margin: "900" },
            { accountId: "carol", side: "short", size: "3", entryPrice: "21000", margin: "6300" },
          ],
        },
      }),
    );
    expect(data.long.map((p) => p.rank)).toEqual([1, 2]);
    expect(data.long.map((p) => p.accountId).sort()).toEqual(["alice", "bob"]);
    expect(data.short.map((p) => p.accountId)).toEqual(["carol"]);
    for (const p of [...data.long, ...data.short]) {
      expectDecimal(p.size);
      expectDecimal(p.pnlRatio);
      expect(typeof p.indicator).toBe("number");
    }

    // A lot-size violation is found by the domain, with a pointer into the same body.
    const bad = await problemOf(
      adl.POST("/v1/adl/rankings", {
        body: {
          market: linear,
          markPrice: "21000",
          method: "bitmex",
          positions: [{ accountId: "alice", side: "long", size: "0.0005", entryPrice: "19000", margin: "3800" }],
        },
      }),
    );
    expect(bad.status).toBe(422);
    expect(bad.problem.errors?.[0]?.pointer).toBe("/positions/0/size");
  },

  async planFills() {
    const market = { contractType: "linear" as const, contractSize: "1", lotSize: "1", tickSize: "0.5" };
    const counterparties = [
      { accountId: "long-a", side: "long" as const, size: "10", entryPrice: "8000", margin: "8000" },
      { accountId: "long-b", side: "long" as const, size: "20", entryPrice: "9000", margin: "18000" },
    ];
    const liquidated = { accountId: "bankrupt", side: "short" as const, size: "20", entryPrice: "9500", margin: "9500" };
    const plan = await unwrap(adl.POST("/v1/adl/fills", { body: { market, markPrice: "10000", method: "bitmex", liquidated, counterparties } }));
    const total = plan.fills.reduce((sum, f) => sum + Number(f.quantity), 0);
    expect(total).toBe(20);
    expect(plan.filledQuantity).toBe("20");
    expect(plan.unfilledQuantity).toBe("0");
    for (const f of plan.fills) for (const v of [f.quantity, f.price, f.realizedPnl, f.remainingSize]) expectDecimal(v);
    expectDecimal(plan.bankruptcyPrice);

    // The short form of the liquidated position (side, size, bankruptcy price) and more than the queue holds.
    const partial = await unwrap(
      adl.POST("/v1/adl/fills", {
        body: { market, markPrice: "10000", method: "bitmex", liquidated: { side: "short", size: "40", bankruptcyPrice: "19000" }, counterparties },
      }),
    );
    expect([partial.filledQuantity, partial.unfilledQuantity]).toEqual(["30", "10"]);

    // A counterparty on the same side as the liquidated position cannot absorb it.
    const bad = await problemOf(
      adl.POST("/v1/adl/fills", {
        body: { market, markPrice: "10000", method: "bitmex", liquidated, counterparties: [{ ...counterparties[0]!, side: "short" }] },
      }),
    );
    expect(bad.status).toBe(422);
    expect(bad.problem.errors?.length).toBeGreaterThan(0);
  },

  async comparePolicies() {
    const body: Schemas["CompareRequest"] = {
      market: { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" },
      markPrice: "10100",
      liquidated: [{ side: "short", size: "20", bankruptcyPrice: "10050" }],
      counterparties: [
        { accountId: "long-a", side: "long", size: "10", entryPrice: "8000", margin: "8000" },
        { accountId: "long-b", side: "long", size: "20", entryPrice: "9000", margin: "18000" },
        { accountId: "long-c", side: "long", size: "5", entryPrice: "11000", margin: "600" },
      ],
      policies: ["queue:bitmex", "pro-rata", "capped-pro-rata", "leverage-draining"],
    };
    const full = await unwrap(adl.POST("/v1/adl/policies/compare", { body }));
    expect(full.results.map((r) => r.policy)).toEqual(body.policies);
    expectDecimal(full.neededBudget);
    for (const r of full.results) {
      expect(sumDecimals([r.filledQuantity, r.unfilledQuantity])).toBe(sumDecimals(["20"]));
      for (const v of [r.metrics.neededBudget, r.metrics.totalGiven, r.metrics.overshoot, r.metrics.gini]) expectDecimal(v);
      expect(r.events).toHaveLength(1);
      for (const a of r.accounts ?? []) expectDecimal(a.given);
    }

    // detail "metrics" leaves out the per-event and per-account figures (for sides of many thousands).
    const lean = await unwrap(adl.POST("/v1/adl/policies/compare", { body: { ...body, detail: "metrics" } }));
    expect(lean.results.map((r) => [r.policy, r.events, r.accounts])).toEqual(body.policies!.map((p) => [p, undefined, undefined]));
    expect(lean.results.map((r) => r.metrics)).toEqual(full.results.map((r) => r.metrics));

    expect(full.neededBudget).toBe("1000");

    const empty = await problemOf(adl.POST("/v1/adl/policies/compare", { body: { ...body, liquidated: [] } }));
    expect(empty.status).toBe(422);
    expect(empty.problem.errors?.[0]?.pointer).toBe("/liquidated");
    // Bankrupt positions of one event must share a side: 422 naming the second.
    const mixed = await problemOf(
      adl.POST("/v1/adl/policies/compare", {
        body: { ...body, liquidated: [{ side: "short", size: "1", bankruptcyPrice: "10050" }, { side: "long", size: "1", bankruptcyPrice: "9000" }] },
      }),
    );
    expect(mixed.status).toBe(422);
    expect(mixed.problem.errors?.map((e) => e.pointer)).toEqual(["/liquidated/1/side"]);
  },

  async putMarket() {
    const marketId = "PUT-TEST";
    const key = { "idempotency-key": "put-1" };
    const put = (body: Schemas["MarketConfigRequest"], header = key) => adl.PUT("/v1/markets/{marketId}", { params: { path: { marketId }, header }, body });
    const created = await put(marketConfig);
    expect(created.response.status).toBe(200);
    expect(created.data).toMatchObject({ marketId, settlementAsset: "USDT", fundFloor: "1000", amountDecimals: 8, version: 1 });

    // A retry of the same call (same key, same body) replays the stored answer.
    const replay = await put(marketConfig);
    expect(replay.response.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.data).toEqual(created.data);

    // The same key with another body is refused; a new key applies the change.
    const reused = await problemOf(put({ ...marketConfig, fundFloor: "5" }));
    expect([reused.status, reused.code]).toEqual([409, "idempotency-key-reused"]);
    const changed = await unwrap(put({ ...marketConfig, fundFloor: "5" }, { "idempotency-key": "put-2" }));
    expect([changed.fundFloor, changed.version]).toEqual(["5", 2]);

    // Once the fund has ledger entries its asset cannot change.
    await unwrap(deposit(marketId, "10", "put-dep-1"));
    const assetChange = await problemOf(put({ ...marketConfig, settlementAsset: "USDC" }, { "idempotency-key": "put-3" }));
    expect([assetChange.status, assetChange.code]).toEqual([409, "conflict"]);

    const invalid = await problemOf(put({ ...marketConfig, settlementAsset: "usdt", lotSize: "0" }, { "idempotency-key": "put-4" }));
    expect(invalid.status).toBe(422);
    expect(invalid.problem.errors?.map((e) => e.pointer).sort()).toEqual(["/lotSize", "/settlementAsset"]);

    // Every mutation needs an Idempotency-Key. The SDK's types insist on one; a call that gets around them still
    // carries a fresh UUID key from the SDK instead of being refused.
    let sentKey: string | null = null;
    const noKey = await adl.PUT("/v1/markets/{marketId}", {
      params: { path: { marketId }, header: {} as typeof key },
      body: marketConfig,
      middleware: [{ onRequest: ({ request }) => void (sentKey = request.headers.get("idempotency-key")) }],
    });
    expect(noKey.response.status).toBe(200);
    expect(noKey.data?.version).toBe(3);
    expect(sentKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  },

  async getMarket() {
    await createMarket("GET-TEST");
    const market = await unwrap(adl.GET("/v1/markets/{marketId}", { params: { path: { marketId: "GET-TEST" } } }));
    expect(market).toMatchObject({ marketId: "GET-TEST", contractType: "linear", lotSize: "0.001", tickSize: "0.1" });

    const missing = await problemOf(adl.GET("/v1/markets/{marketId}", { params: { path: { marketId: "NO-SUCH-MARKET" } } }));
    expect([missing.status, missing.code]).toEqual([404, "not-found"]);
    const invalid = await problemOf(adl.GET("/v1/markets/{marketId}", { params: { path: { marketId: "bad id!" } } }));
    expect(invalid.status).toBe(422);
  },

  async listMarkets() {
    for (const id of ["LIST-B", "LIST-A", "LIST-C"]) await createMarket(id);
    const ids: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await unwrap(adl.GET("/v1/markets", { params: { query: { limit: 2, ...(cursor ? { cursor } : {}) } } }));
      expect(page.markets.length).toBeLessThanOrEqual(2);
      ids.push(...page.markets.map((m) => m.marketId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(ids.filter((id) => id.startsWith("LIST-"))).toEqual(["LIST-A", "LIST-B", "LIST-C"]);
    expect([...ids].sort()).toEqual(ids);
    // Another tenant's directory is its own.
    const other = await unwrap(createAdlClient({ baseUrl: server.url, apiKey: DEV_B_KEY, retries: 0 }).GET("/v1/markets", {}));
    expect(other.markets.some((m) => m.marketId.startsWith("LIST-"))).toBe(false);

    const invalid = await problemOf(adl.GET("/v1/markets", { params: { query: { limit: 0 } } }));
    expect(invalid.status).toBe(422);
    expect(invalid.problem.errors?.[0]?.pointer).toBe("#query/limit");
  },

  async getInsuranceFund() {
    await createMarket("FUND-TEST");
    await unwrap(deposit("FUND-TEST", "2500.5", "fund-dep-1"));
    const fund = await unwrap(adl.GET("/v1/markets/{marketId}/insurance-fund", { params: { path: { marketId: "FUND-TEST" } } }));
    expect(fund).toMatchObject({ marketId: "FUND-TEST", asset: "USDT", balance: "2500.5", floor: "1000", ledgerEntries: 1 });
    expectDecimal(fund.peakBalance);

    const missing = await problemOf(adl.GET("/v1/markets/{marketId}/insurance-fund", { params: { path: { marketId: "NO-SUCH-MARKET" } } }));
    expect(missing.status).toBe(404);
    const invalid = await problemOf(adl.GET("/v1/markets/{marketId}/insurance-fund", { params: { path: { marketId: "bad id!" } } }));
    expect(invalid.status).toBe(422);
  },

  async depositToInsuranceFund() {
    await createMarket("DEP-TEST");
    // Decimal strings survive exactly, at the asset's 8 places.
    const first = await deposit("DEP-TEST", "0.00000001", "dep-1");
    expect(first.response.status).toBe(201);
    expect(first.data).toMatchObject({ balance: "0.00000001", asset: "USDT", entry: { kind: "deposit", amount: "0.00000001", idempotencyKey: "dep-1" } });
    const big = await unwrap(deposit("DEP-TEST", "123456789012.12345678", "dep-2"));
    expect(big.balance).toBe("123456789012.12345679");

    const replay = await deposit("DEP-TEST", "123456789012.12345678", "dep-2");
    expect(replay.response.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.data?.entry.entryId).toBe(big.entry.entryId);

    const reused = await problemOf(deposit("DEP-TEST", "1", "dep-2"));
    expect(reused.status).toBe(409);
    const missing = await problemOf(deposit("NO-SUCH-MARKET", "1", "dep-3"));
    expect(missing.status).toBe(404);
    const tooFine = await problemOf(deposit("DEP-TEST", "1.000000001", "dep-4"));
    expect(tooFine.status).toBe(422);
    expect(tooFine.problem.errors?.[0]?.pointer).toBe("/amount");
  },

  async withdrawFromInsuranceFund() {
    await createMarket("WD-TEST");
    await unwrap(deposit("WD-TEST", "5000", "wd-dep"));
    const withdraw = (amount: string, key: string, extra: Partial<Schemas["FundWithdrawalRequest"]> = {}, marketId = "WD-TEST") =>
      adl.POST("/v1/markets/{marketId}/insurance-fund/withdrawals", {
        params: { path: { marketId }, header: { "idempotency-key": key } },
        body: { amount, reference: "fee sweep", ...extra },
      });
    const ok = await withdraw("1500", "wd-1");
    expect(ok.response.status).toBe(201);
    expect(ok.data).toMatchObject({ balance: "3500", entry: { kind: "withdrawal", amount: "-1500", balanceAfter: "3500" } });

    // Below the floor (1000) is refused and changes nothing, unless forced; below zero never.
    const belowFloor = await problemOf(withdraw("3000", "wd-2"));
    expect([belowFloor.status, belowFloor.code]).toEqual([422, "insufficient-funds"]);
    const belowZero = await problemOf(withdraw("3500.00000001", "wd-3", { allowBelowFloor: true }));
    expect(belowZero.code).toBe("insufficient-funds");
    const forced = await unwrap(withdraw("3000", "wd-4", { allowBelowFloor: true }));
    expect(forced.balance).toBe("500");

    const reused = await problemOf(withdraw("1", "wd-1"));
    expect(reused.status).toBe(409);
    const missing = await problemOf(withdraw("1", "wd-5", {}, "NO-SUCH-MARKET"));
    expect(missing.status).toBe(404);
  },

  async createSimulation() {
    const body = simulationBody();
    const small = await adl.POST("/v1/simulations", { params: { header: { "idempotency-key": "sdk-sim-small" } }, body });
    expect(small.response.status).toBe(201);
    const done = await unwrap(Promise.resolve(small));
    expect(done.status).toBe("succeeded");
    expect(done.result?.policies.map((p) => p.policy)).toEqual(["queue:bitmex", "pro-rata"]);
    for (const p of done.result!.policies) expectDecimal(p.summary.fundNeeded);
    const large = await adl.POST("/v1/simulations", { params: { header: { "idempotency-key": "sdk-sim-large" } }, body: { ...body, scenario: { model: "gbm", paths: 12, steps: 20, seed: 5, sigma: "0.01" } } });
    expect(large.response.status).toBe(202);
    const reused = await problemOf(adl.POST("/v1/simulations", { params: { header: { "idempotency-key": "sdk-sim-small" } }, body: { ...body, fund: { balance: "1" } } }));
    expect(reused.status).toBe(409);
    const bad = await problemOf(adl.POST("/v1/simulations", { params: { header: { "idempotency-key": "sdk-sim-bad" } }, body: { ...body, markPrice: "10000.25" } }));
    expect([bad.status, bad.problem.errors?.[0]?.pointer]).toEqual([422, "/markPrice"]);
  },
  async getSimulation() {
    const made = await unwrap(adl.POST("/v1/simulations", { params: { header: { "idempotency-key": "sdk-sim-get" } }, body: simulationBody() }));
    const got = await unwrap(adl.GET("/v1/simulations/{simulationId}", { params: { path: { simulationId: made.simulationId } } }));
    expect(got).toEqual(made);
    const missing = await problemOf(adl.GET("/v1/simulations/{simulationId}", { params: { path: { simulationId: "sim_00000000-0000-4000-8000-000000000000" } } }));
    expect(missing.status).toBe(404);
    const bad = await problemOf(adl.GET("/v1/simulations/{simulationId}", { params: { path: { simulationId: "nope" } } }));
    expect(bad.status).toBe(422);
  },
  async listSimulations() {
    await unwrap(adl.POST("/v1/simulations", { params: { header: { "idempotency-key": "sdk-sim-list" } }, body: simulationBody() }));
    const page = await unwrap(adl.GET("/v1/simulations", { params: { query: { limit: 1 } } }));
    expect(page.simulations).toHaveLength(1);
    const bad = await problemOf(adl.GET("/v1/simulations", { params: { query: { cursor: "%%%" } } }));
    expect(bad.status).toBe(422);
  },
  async listInsuranceFundLedger() {
    await createMarket("LEDGER-TEST");
    const amounts = ["100", "0.5", "250.25", "1", "42"];
    for (const [i, amount] of amounts.entries()) await unwrap(deposit("LEDGER-TEST", amount, `ledger-dep-${i}`));
    const fund = await unwrap(adl.GET("/v1/markets/{marketId}/insurance-fund", { params: { path: { marketId: "LEDGER-TEST" } } }));

    // Page through with the cursor, newest first.
    const seen: Schemas["LedgerEntry"][] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await unwrap(
        adl.GET("/v1/markets/{marketId}/insurance-fund/ledger", { params: { path: { marketId: "LEDGER-TEST" }, query: { limit: 2, cursor } } }),
      );
      expect(res.entries.length).toBeLessThanOrEqual(2);
      seen.push(...res.entries);
      if (res.nextCursor === null) break;
      cursor = res.nextCursor;
    }
    expect(seen.map((e) => e.amount)).toEqual([...amounts].reverse());
    expect(seen.map((e) => e.sequence)).toEqual([5, 4, 3, 2, 1]);
    expect(seen[0]?.balanceAfter).toBe(fund.balance);
    expect(sumDecimals(seen.map((e) => e.amount))).toBe(sumDecimals([fund.balance]));

    const badCursor = await problemOf(
      adl.GET("/v1/markets/{marketId}/insurance-fund/ledger", { params: { path: { marketId: "LEDGER-TEST" }, query: { cursor: "abc" } } }),
    );
    expect(badCursor.status).toBe(422);
    expect(badCursor.problem.errors?.[0]?.pointer).toMatch(/cursor/);
    const missing = await problemOf(adl.GET("/v1/markets/{marketId}/insurance-fund/ledger", { params: { path: { marketId: "NO-SUCH-MARKET" } } }));
    expect(missing.status).toBe(404);
  },

  async liquidateBatch() {
    await createMarket("LIQB-TEST");
    await unwrap(deposit("LIQB-TEST", "100000", "liqb-dep"));
    const path = { marketId: "LIQB-TEST" };
    const body = {
      markPrice: "9950",
      method: "bitmex" as const,
      liquidated: [
        { accountId: "b-1", side: "long" as const, size: "2", entryPrice: "11000", margin: "2000", executions: [{ quantity: "1", price: "10100" }] },
        { accountId: "b-2", side: "long" as const, size: "1", entryPrice: "10900", margin: "900", executions: [] },
      ],
      counterparties: [
        { accountId: "s-1", side: "short" as const, size: "1", entryPrice: "12000", margin: "1200" },
        { accountId: "s-2", side: "short" as const, size: "3", entryPrice: "11500", margin: "3000" },
      ],
    };
    const key = { "idempotency-key": "liqb-1" };
    const batch = await unwrap(adl.POST("/v1/markets/{marketId}/liquidations/batch", { params: { path, header: key }, body }));
    expect(batch.results).toHaveLength(2);
    expect(batch.totals.liquidations).toBe(2);
    expect(batch.totals.adlFilledQuantity).toBe("2");
    // s-2 ranks first (bitmex score) and gives 1 to each; the second item sees it at size 2, margin 2000: nothing twice.
    expect(batch.results.map((r) => r.adl.fills.map((f) => [f.accountId, f.remainingSize]))).toEqual([[["s-2", "2"]], [["s-2", "1"]]]);
    expect(batch.counterparties.map((c) => [c.accountId, c.size, c.margin])).toEqual([["s-1", "1", "1200"], ["s-2", "1", "1000"]]);
    for (const r of batch.results) expectDecimal(r.fund.balanceAfter);
    const again = await adl.POST("/v1/markets/{marketId}/liquidations/batch", { params: { path, header: key }, body });
    expect(again.response.headers.get("idempotent-replayed")).toBe("true");
    expect(again.data).toEqual(batch);
    const reused = await problemOf(adl.POST("/v1/markets/{marketId}/liquidations/batch", { params: { path, header: key }, body: { ...body, markPrice: "9900" } }));
    expect([reused.status, reused.code]).toEqual([409, "idempotency-key-reused"]);
    const missing = await problemOf(adl.POST("/v1/markets/{marketId}/liquidations/batch", { params: { path: { marketId: "NO-SUCH-MARKET" }, header: { "idempotency-key": "liqb-2" } }, body }));
    expect(missing.status).toBe(404);
    const invalid = await problemOf(
      adl.POST("/v1/markets/{marketId}/liquidations/batch", { params: { path, header: { "idempotency-key": "liqb-3" } }, body: { ...body, liquidated: [body.liquidated[0]!, { ...body.liquidated[1]!, size: "0.0005" }] } }),
    );
    expect([invalid.status, invalid.problem.errors?.[0]?.pointer]).toEqual([422, "/liquidated/1/size"]);
    const tooMany = await problemOf(
      adl.POST("/v1/markets/{marketId}/liquidations/batch", {
        params: { path, header: { "idempotency-key": "liqb-4" } },
        body: { ...body, liquidated: Array.from({ length: 1001 }, (_, i) => ({ ...body.liquidated[1]!, accountId: `b-${i}` })) },
      }),
    );
    expect([tooMany.status, tooMany.problem.errors?.[0]?.pointer]).toEqual([413, "/liquidated"]);
    const fund = await unwrap(adl.GET("/v1/markets/{marketId}/insurance-fund", { params: { path } }));
    expect(fund.balance).toBe(batch.totals.balanceAfter);
  },

  async getInsuranceFundHistory() {
    await createMarket("HIST-TEST");
    await unwrap(deposit("HIST-TEST", "100.5", "hist-dep-1"));
    await unwrap(deposit("HIST-TEST", "0.25", "hist-dep-2"));
    const h = await unwrap(adl.GET("/v1/markets/{marketId}/insurance-fund/history", { params: { path: { marketId: "HIST-TEST" }, query: { interval: "1d" } } }));
    expect(h.buckets).toHaveLength(1440);
    expect(h.buckets.at(-1)).toMatchObject({ close: "100.75" });
    expect(h.buckets.reduce((n, b) => n + b.entries, 0)).toBe(2);
    const bad = await problemOf(adl.GET("/v1/markets/{marketId}/insurance-fund/history", { params: { path: { marketId: "HIST-TEST" }, query: { interval: "5m" as "1m" } } }));
    expect([bad.status, bad.problem.errors?.[0]?.pointer]).toEqual([422, "#query/interval"]);
    const missing = await problemOf(adl.GET("/v1/markets/{marketId}/insurance-fund/history", { params: { path: { marketId: "NO-SUCH-MARKET" }, query: { interval: "1h" } } }));
    expect(missing.status).toBe(404);
  },

  async getAdlAlert() {
    await createMarket("ALERT-TEST");
    await unwrap(deposit("ALERT-TEST", "5000", "alert-dep"));
    const a = await unwrap(adl.GET("/v1/markets/{marketId}/adl-alert", { params: { path: { marketId: "ALERT-TEST" } } }));
    expect(a).toMatchObject({ marketId: "ALERT-TEST", balance: "5000", floor: "1000" });
    expect(typeof a.adlActive).toBe("boolean");
    expectDecimal(a.triggerBalance);
    const missing = await problemOf(adl.GET("/v1/markets/{marketId}/adl-alert", { params: { path: { marketId: "NO-SUCH-MARKET" } } }));
    expect(missing.status).toBe(404);
    const invalid = await problemOf(adl.GET("/v1/markets/{marketId}/adl-alert", { params: { path: { marketId: "bad id!" } } }));
    expect(invalid.status).toBe(422);
  },

  async listLiquidations() {
    await createMarket("LIQL-TEST");
    await unwrap(deposit("LIQL-TEST", "100000", "liql-dep"));
    const posted = await unwrap(adl.POST("/v1/markets/{marketId}/liquidations", { params: { path: { marketId: "LIQL-TEST" }, header: { "idempotency-key": "liql-1" } }, body: liquidation }));
    const page = await unwrap(adl.GET("/v1/markets/{marketId}/liquidations", { params: { path: { marketId: "LIQL-TEST" }, query: { limit: 10 } } }));
    expect(page.liquidations.map((l) => l.liquidationId)).toEqual([posted.liquidationId]);
    expect(page.nextCursor).toBeNull();
    const bad = await problemOf(adl.GET("/v1/markets/{marketId}/liquidations", { params: { path: { marketId: "LIQL-TEST" }, query: { cursor: "x" } } }));
    expect(bad.status).toBe(422);
    const missing = await problemOf(adl.GET("/v1/markets/{marketId}/liquidations", { params: { path: { marketId: "NO-SUCH-MARKET" } } }));
    expect(missing.status).toBe(404);
  },

  async getLiquidation() {
    await createMarket("LIQG-TEST");
    await unwrap(deposit("LIQG-TEST", "100000", "liqg-dep"));
    const posted = await unwrap(adl.POST("/v1/markets/{marketId}/liquidations", { params: { path: { marketId: "LIQG-TEST" }, header: { "idempotency-key": "liqg-1" } }, body: liquidation }));
    const got = await unwrap(adl.GET("/v1/markets/{marketId}/liquidations/{liquidationId}", { params: { path: { marketId: "LIQG-TEST", liquidationId: posted.liquidationId } } }));
    expect(got).toEqual(posted);
    const missing = await problemOf(adl.GET("/v1/markets/{marketId}/liquidations/{liquidationId}", { params: { path: { marketId: "LIQG-TEST", liquidationId: "liq_00000000-0000-0000-0000-000000000000" } } }));
    expect(missing.status).toBe(404);
    const invalid = await problemOf(adl.GET("/v1/markets/{marketId}/liquidations/{liquidationId}", { params: { path: { marketId: "LIQG-TEST", liquidationId: "nope" } } }));
    expect(invalid.status).toBe(422);
  },

  async liquidate() {
    await createMarket("LIQ-TEST");
    await unwrap(deposit("LIQ-TEST", "100000", "liq-dep"));
    const before = await unwrap(adl.GET("/v1/markets/{marketId}/insurance-fund", { params: { path: { marketId: "LIQ-TEST" } } }));

    // The first attempt reaches the server but its answer is lost; the SDK retries with the same Idempotency-Key and
    // gets the stored outcome instead of a second liquidation.
    let attempts = 0;
    const flaky = createAdlClient({
      baseUrl: server.url,
      apiKey: DEV_KEY,
      retryBaseDelayMs: 0,
      fetch: async (request) => {
        attempts++;
        const response = await fetch(request);
        if (attempts === 1) {
          await response.arrayBuffer();
          throw new TypeError("fetch failed: connection reset (simulated)");
        }
        return response;
      },
    });
    flaky.use(recorder);
    const key = { "idempotency-key": "liq-1" };
    const first = await flaky.POST("/v1/markets/{marketId}/liquidations", { params: { path: { marketId: "LIQ-TEST" }, header: key }, body: liquidation });
    expect(attempts).toBe(2);
    expect(first.response.status).toBe(201);
    expect(first.response.headers.get("idempotent-replayed")).toBe("true");
    const outcome = first.data!;
    expect(outcome.marketId).toBe("LIQ-TEST");
    const c = outcome.conservation;
    expect(sumDecimals([c.fundDrawn, `-${c.fundCredited}`, c.adlTransferred, c.socializedLoss, `-${c.returnedToAccount}`])).toBe(sumDecimals([c.bankruptLoss]));

    // A deliberate replay is identical; the fund moved once.
    const again = await unwrap(adl.POST("/v1/markets/{marketId}/liquidations", { params: { path: { marketId: "LIQ-TEST" }, header: key }, body: liquidation }));
    expect(again).toEqual(outcome);
    const after = await unwrap(adl.GET("/v1/markets/{marketId}/insurance-fund", { params: { path: { marketId: "LIQ-TEST" } } }));
    expect(after.balance).toBe(outcome.fund.balanceAfter);
    expect(after.ledgerEntries).toBe(before.ledgerEntries + outcome.ledgerEntries.length);
    expect(sumDecimals([before.balance, ...outcome.ledgerEntries.map((e) => e.amount)])).toBe(sumDecimals([after.balance]));

    const reused = await problemOf(
      adl.POST("/v1/markets/{marketId}/liquidations", { params: { path: { marketId: "LIQ-TEST" }, header: key }, body: { ...liquidation, markPrice: "9900" } }),
    );
    expect([reused.status, reused.code]).toEqual([409, "idempotency-key-reused"]);
    const missing = await problemOf(
      adl.POST("/v1/markets/{marketId}/liquidations", { params: { path: { marketId: "NO-SUCH-MARKET" }, header: { "idempotency-key": "liq-2" } }, body: liquidation }),
    );
    expect(missing.status).toBe(404);
    const invalid = await problemOf(
      adl.POST("/v1/markets/{marketId}/liquidations", {
        params: { path: { marketId: "LIQ-TEST" }, header: { "idempotency-key": "liq-3" } },
        body: { ...liquidation, liquidated: { ...liquidation.liquidated, size: "0.0005" } },
      }),
    );
    expect(invalid.status).toBe(422);
    expect(invalid.problem.errors?.[0]?.pointer).toBe("/liquidated/size");
    // A refused request stored nothing: the fund is as the first liquidation left it.
    const unchanged = await unwrap(adl.GET("/v1/markets/{marketId}/insurance-fund", { params: { path: { marketId: "LIQ-TEST" } } }));
    expect(unchanged.version).toBe(after.version);
  },
};

// Webhooks: one loopback receiver (npm start enables loopback delivery locally) verifying with the live secrets.
let webhookReceiver: Receiver | undefined;
let webhookSecrets: string[] = [];
let webhookEndpoint: Promise<Schemas["WebhookEndpointWithSecret"]> | undefined;
const ABSENT_ENDPOINT = "we_000000000000000000000000";

function sharedEndpoint(): Promise<Schemas["WebhookEndpointWithSecret"]> {
  webhookEndpoint ??= (async () => {
    webhookReceiver = await createReceiver({ secrets: () => webhookSecrets });
    const created = await unwrap(
      adl.POST("/v1/webhook-endpoints", {
        params: { header: { "idempotency-key": "sdk-webhook-shared" } },
        body: { url: webhookReceiver.url, events: ["liquidation.adl", "adl.activated"], description: "sdk e2e" },
      }),
    );
    webhookSecrets = [created.secret];
    return created;
  })();
  return webhookEndpoint;
}

async function waitUntil<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

Object.assign(cases, {
  async createWebhookEndpoint() {
    const receiverUrl = (await sharedEndpoint(), webhookReceiver!.url);
    const body = { url: receiverUrl, events: ["fund.below_floor" as const], description: "created by the SDK case" };
    const first = await adl.POST("/v1/webhook-endpoints", { params: { header: { "idempotency-key": "sdk-webhook-create" } }, body });
    expect(first.response.status).toBe(201);
    expect(first.data?.secret).toMatch(/^whsec_/);
    expect(first.data).toMatchObject({ url: receiverUrl, events: ["fund.below_floor"], status: "enabled", description: "created by the SDK case" });
    const again = await adl.POST("/v1/webhook-endpoints", { params: { header: { "idempotency-key": "sdk-webhook-create" } }, body });
    expect(again.response.headers.get("idempotent-replayed")).toBe("true");
    expect(again.data?.id).toBe(first.data?.id);
    const reused = await problemOf(adl.POST("/v1/webhook-endpoints", { params: { header: { "idempotency-key": "sdk-webhook-create" } }, body: { ...body, description: "other" } }));
    expect([reused.status, reused.code]).toEqual([409, "idempotency-key-reused"]);
    const bad = await problemOf(adl.POST("/v1/webhook-endpoints", { params: { header: { "idempotency-key": "sdk-webhook-bad" } }, body: { url: "ftp://example.com/x", events: ["liquidation.adl"] } }));
    expect([bad.status, bad.problem.errors?.map((e) => e.pointer)]).toEqual([422, ["/url"]]);
    // The host's addresses cannot be checked (the resolver fails): 503, nothing created, safe to retry.
    const down = await problemOf(adl.POST("/v1/webhook-endpoints", { params: { header: { "idempotency-key": "sdk-webhook-dns-down" } }, body: { url: "https://resolver-down.example.org/hook", events: ["liquidation.adl"] } }));
    expect([down.status, down.problem.type]).toEqual([503, "/problems/unavailable"]);
    await unwrap(adl.DELETE("/v1/webhook-endpoints/{id}", { params: { path: { id: first.data!.id }, header: { "idempotency-key": "sdk-webhook-create-cleanup" } } }));
  },

  async listWebhookEndpoints() {
    const shared = await sharedEndpoint();
    const list = await unwrap(adl.GET("/v1/webhook-endpoints"));
    expect(list.endpoints.map((e) => e.id)).toContain(shared.id);
    expect(JSON.stringify(list)).not.toContain("whsec_");
  },

  async getWebhookEndpoint() {
    const shared = await sharedEndpoint();
    const one = await unwrap(adl.GET("/v1/webhook-endpoints/{id}", { params: { path: { id: shared.id } } }));
    expect(one).toMatchObject({ id: shared.id, status: "enabled", disabledReason: null });
    expect(JSON.stringify(one)).not.toContain("whsec_");
    const missing = await problemOf(adl.GET("/v1/webhook-endpoints/{id}", { params: { path: { id: ABSENT_ENDPOINT } } }));
    expect(missing.status).toBe(404);
    const invalid = await problemOf(adl.GET("/v1/webhook-endpoints/{id}", { params: { path: { id: "not-an-id" } } }));
    expect(invalid.status).toBe(422);
  },

  async deleteWebhookEndpoint() {
    await sharedEndpoint();
    const doomed = await unwrap(
      adl.POST("/v1/webhook-endpoints", { params: { header: { "idempotency-key": "sdk-webhook-doomed" } }, body: { url: webhookReceiver!.url, events: ["adl.deactivated"] } }),
    );
    const del = (id: string, key: string) => adl.DELETE("/v1/webhook-endpoints/{id}", { params: { path: { id }, header: { "idempotency-key": key } } });
    expect((await unwrap(del(doomed.id, "sdk-webhook-del"))).id).toBe(doomed.id);
    expect((await problemOf(del(doomed.id, "sdk-webhook-del-2"))).status).toBe(404);
    expect((await problemOf(del(ABSENT_ENDPOINT, "sdk-webhook-del"))).status).toBe(409);
    expect((await problemOf(del("nope", "sdk-webhook-del-3"))).status).toBe(422);
  },

  async rotateWebhookEndpointSecret() {
    const shared = await sharedEndpoint();
    const rotate = (id: string, key: string, body: Schemas["WebhookRotateRequest"] = {}) =>
      adl.POST("/v1/webhook-endpoints/{id}/rotate-secret", { params: { path: { id }, header: { "idempotency-key": key } }, body });
    const rotated = await unwrap(rotate(shared.id, "sdk-webhook-rotate"));
    expect(rotated.secret).not.toBe(shared.secret);
    expect(rotated.previousSecretExpiresAt).not.toBeNull();
    // The receiver keeps only the new secret: the test event below must verify with it.
    webhookSecrets = [rotated.secret];
    expect((await problemOf(rotate(ABSENT_ENDPOINT, "sdk-webhook-rotate-404"))).status).toBe(404);
    expect((await problemOf(rotate(shared.id, "sdk-webhook-rotate", { previousSecretTtlSeconds: 60 }))).status).toBe(409);
    const invalid = await problemOf(rotate(shared.id, "sdk-webhook-rotate-422", { previousSecretTtlSeconds: -1 }));
    expect([invalid.status, invalid.problem.errors?.[0]?.pointer]).toEqual([422, "/previousSecretTtlSeconds"]);
  },

  async testWebhookEndpoint() {
    const shared = await sharedEndpoint();
    const send = (id: string, key: string, body: Schemas["WebhookTestRequest"] = {}) =>
      adl.POST("/v1/webhook-endpoints/{id}/test", { params: { path: { id }, header: { "idempotency-key": key } }, body });
    const queued = await unwrap(send(shared.id, "sdk-webhook-test"));
    expect(queued.type).toBe("webhook.test");
    const event = await waitUntil(() => webhookReceiver!.events.find((e) => e.id === queued.eventId));
    expect(event.data).toMatchObject({ endpointId: shared.id, test: true });
    expect((await problemOf(send(ABSENT_ENDPOINT, "sdk-webhook-test-404"))).status).toBe(404);
    expect((await problemOf(send(shared.id, "sdk-webhook-test", { type: "adl.activated" }))).status).toBe(409);
    const invalid = await problemOf(send(shared.id, "sdk-webhook-test-422", { type: "nope" as "webhook.test" }));
    expect([invalid.status, invalid.problem.errors?.[0]?.pointer]).toEqual([422, "/type"]);
  },

  async listWebhookDeliveries() {
    const shared = await sharedEndpoint();
    const queued = await unwrap(adl.POST("/v1/webhook-endpoints/{id}/test", { params: { path: { id: shared.id }, header: { "idempotency-key": "sdk-webhook-log" } }, body: {} }));
    await waitUntil(() => webhookReceiver!.events.find((e) => e.id === queued.eventId));
    // The receiver has it; the log records the attempt right after the answer.
    let delivery: Schemas["WebhookDelivery"] | undefined;
    for (let i = 0; i < 100 && delivery?.status !== "delivered"; i++) {
      const page = await unwrap(adl.GET("/v1/webhook-endpoints/{id}/deliveries", { params: { path: { id: shared.id }, query: { limit: 10 } } }));
      delivery = page.deliveries.find((d) => d.eventId === queued.eventId);
      if (delivery?.status !== "delivered") await new Promise((r) => setTimeout(r, 50));
    }
    expect(delivery).toMatchObject({ status: "delivered", eventType: "webhook.test", nextAttemptAt: null });
    expect(delivery?.attempts.map((a) => a.statusCode)).toEqual([200]);
    expect((await problemOf(adl.GET("/v1/webhook-endpoints/{id}/deliveries", { params: { path: { id: ABSENT_ENDPOINT } } }))).status).toBe(404);
    const invalid = await problemOf(adl.GET("/v1/webhook-endpoints/{id}/deliveries", { params: { path: { id: shared.id }, query: { limit: 0 } } }));
    expect([invalid.status, invalid.problem.errors?.[0]?.pointer]).toEqual([422, "#query/limit"]);
  },
} satisfies Partial<Record<keyof operations, Case>>);

const marketConfig: Schemas["MarketConfigRequest"] = {
  contractType: "linear",
  contractSize: "1",
  lotSize: "0.001",
  tickSize: "0.1",
  settlementAsset: "USDT",
  amountDecimals: 8,
  fundFloor: "1000",
  adlTrigger: { rule: "floor" },
};

const liquidation: Schemas["LiquidationRequest"] = {
  markPrice: "9950",
  liquidated: { accountId: "bankrupt-1", side: "long", size: "2", entryPrice: "11000", margin: "2000" },
  executions: [
    { quantity: "1", price: "10100" },
    { quantity: "0.5", price: "9900" },
  ],
  counterparties: [
    { accountId: "short-a", side: "short", size: "1", entryPrice: "12000", margin: "1200" },
    { accountId: "short-b", side: "short", size: "3", entryPrice: "11500", margin: "3000" },
  ],
  method: "bitmex",
  priceRule: "bankruptcy",
};

async function createMarket(marketId: string) {
  return unwrap(adl.PUT("/v1/markets/{marketId}", { params: { path: { marketId }, header: { "idempotency-key": `create-${marketId}` } }, body: marketConfig }));
}

function deposit(marketId: string, amount: string, key: string) {
  return adl.POST("/v1/markets/{marketId}/insurance-fund/deposits", {
    params: { path: { marketId }, header: { "idempotency-key": key } },
    body: { amount, reference: "e2e" },
  });
}

/** Exact sum of decimal strings (BigInt at 18 places), as a canonical string: no floating point anywhere. */
function sumDecimals(values: string[]): string {
  const SCALE = 18;
  let total = 0n;
  for (const v of values) {
    const negative = v.startsWith("-");
    const [int = "0", frac = ""] = (negative ? v.slice(1) : v).replace(/^-/, "").split(".");
    const units = BigInt(int + frac.padEnd(SCALE, "0"));
    // "--x" (negating a negative) flips back.
    const doubleNegative = negative && v.startsWith("--");
    total += negative && !doubleNegative ? -units : units;
  }
  return total.toString();
}

// Path parameter values for the transport checks below (requests refused before they reach a handler).
const PATH_PARAMS: Record<string, string> = { marketId: "BTC-PERP", simulationId: "sim_00000000-0000-4000-8000-000000000000" };

// Route-agnostic view of the same client, for checks that apply to every operation with a body.
type AnyCall = (
  method: string,
  path: string,
  init: { params?: object; body?: unknown; headers?: Record<string, string>; bodySerializer?: (b: unknown) => string },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

function pathParamsOf(op: SpecOperation): Record<string, string> {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "");
  return Object.fromEntries(names.map((n) => [n, PATH_PARAMS[n] ?? "x"]));
}

describe("every operation in openapi.yaml", () => {
  it("has an SDK e2e case (add one to `cases` in test/e2e/sdk.e2e.test.ts)", () => {
    const missing = SPEC.filter((op) => !(op.operationId in cases)).map((op) => `${op.key} (${op.operationId || "no operationId"})`);
    expect(missing).toEqual([]);
    expect(Object.keys(cases).filter((id) => !SPEC.some((op) => op.operationId === id))).toEqual([]);
  });

  for (const op of SPEC) {
    it(`${op.key} (${op.operationId}): success and error paths through the SDK`, async () => {
      const run = cases[op.operationId as keyof operations];
      if (!run) throw new Error(`no case for ${op.operationId}`);
      await run();
    });
  }

  for (const op of SPEC.filter((o) => ["post", "put", "patch"].includes(o.method))) {
    it(`${op.key}: transport errors are problem+json (400 malformed JSON, 415 media type, 413 oversize)`, async () => {
      const request = adl.request.bind(adl) as unknown as AnyCall;
      const params = { path: pathParamsOf(op), header: { "Idempotency-Key": `transport-${op.operationId}` } };
      const call = (init: Parameters<AnyCall>[2]) => request(op.method, op.path, { params, ...init });

      const malformed = await problemOf(call({ body: {}, bodySerializer: () => '{"positions": [' }));
      expect([malformed.status, malformed.code]).toEqual([400, "malformed-json"]);
      const media = await problemOf(call({ body: {}, bodySerializer: () => "{}", headers: { "Content-Type": "text/plain" } }));
      expect([media.status, media.code]).toEqual([415, "unsupported-media-type"]);
      const oversize = await problemOf(call({ body: {}, bodySerializer: () => JSON.stringify({ pad: "x".repeat(16 * 1024 * 1024) }) }));
      expect([oversize.status, oversize.code]).toEqual([413, "payload-too-large"]);
    });
  }

  // Access control, for operations whose spec declares a bearer scope. Checked before the body is looked at, so an
  // empty body is enough.
  for (const op of AUTH_SPEC) {
    it(`${op.key}: 401 without or with an unknown key, 403 without the scope (${op.scopes?.join(", ")})`, async () => {
      const call = (apiKey: string | undefined) => {
        const client = createAdlClient({ baseUrl: server.url, apiKey, retries: 0 });
        client.use(recorder);
        const request = client.request.bind(client) as unknown as AnyCall;
        const header = ["post", "put", "patch"].includes(op.method) ? { "Idempotency-Key": `auth-${op.operationId}` } : {};
        return request(op.method, op.path, { params: { path: pathParamsOf(op), header }, ...(header["Idempotency-Key"] ? { body: {} } : {}) });
      };
      for (const key of [undefined, "adl_not_a_key_of_this_service_0000000000"]) {
        const denied = await problemOf(call(key));
        expect([denied.status, denied.code]).toEqual([401, "unauthorized"]);
        expect(denied.response.headers.get("www-authenticate")).toMatch(/^Bearer /);
      }
      const readonly = await call(READONLY_KEY);
      if ((op.scopes ?? []).every((scope) => READONLY_SCOPES.includes(scope))) {
        expect([401, 403]).not.toContain(readonly.response.status);
      } else {
        const forbidden = await problemOf(Promise.resolve(readonly));
        expect([forbidden.status, forbidden.code]).toEqual([403, "forbidden"]);
      }
    });
  }

  it.runIf(AUTH_SPEC.length > 0)("tenants are isolated: another tenant's key does not see the market", async () => {
    await createMarket("TENANT-TEST");
    const other = createAdlClient({ baseUrl: server.url, apiKey: DEV_B_KEY, retries: 0 });
    other.use(recorder);
    const missing = await problemOf(other.GET("/v1/markets/{marketId}", { params: { path: { marketId: "TENANT-TEST" } } }));
    expect(missing.status).toBe(404);
    await unwrap(adl.GET("/v1/markets/{marketId}", { params: { path: { marketId: "TENANT-TEST" } } }));
  });

  it("every operation was called through the SDK and every documented status was seen", () => {
    const unseen: string[] = [];
    for (const op of SPEC) {
      const seen = observed.get(`${op.method.toUpperCase()} ${op.path}`) ?? new Set<number>();
      if (![...seen].some((s) => s >= 200 && s < 300)) unseen.push(`${op.key}: no 2xx`);
      for (const status of op.statuses) {
        if (!unreachable(op, status) && /^\d{3}$/.test(status) && !seen.has(Number(status))) unseen.push(`${op.key}: ${status}`);
      }
    }
    expect(unseen).toEqual([]);
  });
});
