// Access control of the real app, operation by operation from its own OpenAPI document: the scope each operation
// declares (pinned here against the intended table), 401 without or with a bad key, 403 with a key of another scope,
// 429 with Retry-After past a key's budget, and request log lines free of keys and request data.
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/http/app";
import { SCOPES } from "../../src/http/middleware/auth";
import { RATE_LIMIT_PERIOD_SECONDS } from "../../src/http/middleware/rate-limit";
import { linearMarket, uniqueMarket } from "./fund-helpers";
import { RATE_LIMIT_TEST_LIMIT, TEST_KEYS } from "./keys";

type Operation = { operationId: string; security?: Array<Record<string, string[]>>; responses: Record<string, unknown> };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { securitySchemes?: Record<string, { type: string; scheme: string }> } };

/** The intended mapping (the table); the routes must declare exactly this. */
const EXPECTED_SCOPE: Record<string, string> = {
  positionRisk: "adl:compute",
  rankPositions: "adl:compute",
  planFills: "adl:compute",
  comparePolicies: "adl:compute",
  getMarket: "fund:read",
  getInsuranceFund: "fund:read",
  listInsuranceFundLedger: "fund:read",
  listMarkets: "fund:read",
  getInsuranceFundHistory: "fund:read",
  getAdlAlert: "fund:read",
  listLiquidations: "fund:read",
  getLiquidation: "fund:read",
  putMarket: "fund:write",
  depositToInsuranceFund: "fund:write",
  withdrawFromInsuranceFund: "fund:write",
  liquidate: "liquidations:write",
  liquidateBatch: "liquidations:write",
  createSimulation: "simulations:run",
  getSimulation: "simulations:read",
  listSimulations: "simulations:read",
  createWebhookEndpoint: "webhooks:write",
  listWebhookEndpoints: "fund:read",
  getWebhookEndpoint: "fund:read",
  deleteWebhookEndpoint: "webhooks:write",
  rotateWebhookEndpointSecret: "webhooks:write",
  testWebhookEndpoint: "webhooks:write",
  listWebhookDeliveries: "fund:read",
};

const SINGLE_SCOPE_KEYS = [TEST_KEYS.compute, TEST_KEYS.fundRead, TEST_KEYS.fundWrite, TEST_KEYS.liquidations, TEST_KEYS.simulationsRun, TEST_KEYS.simulationsRead, TEST_KEYS.webhooks];

async function operations() {
  const doc = (await (await exports.default.fetch("http://x/openapi.json")).json()) as Doc;
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
  return { doc, ops };
}

const concrete = (path: string) => path.replace(/\{[^}]+\}/g, "AUTH-M");

function send(method: string, path: string, key?: string, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extra };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  // An empty JSON body: auth decides before the body is looked at, so its contents do not matter.
  const withBody = method !== "GET";
  if (withBody) Object.assign(headers, { "content-type": "application/json", "idempotency-key": "auth-test" });
  return exports.default.fetch(`http://x${concrete(path)}`, { method, headers, body: withBody ? "{}" : undefined });
}

describe("every operation declares its scope", () => {
  it("the document has the bearer scheme and each /v1 operation exactly one known scope, as intended", async () => {
    const { doc, ops } = await operations();
    expect(doc.components.securitySchemes?.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const declared = Object.fromEntries(ops.map(({ op }) => [op.operationId, op.security]));
    expect(Object.keys(declared).sort()).toEqual(Object.keys(EXPECTED_SCOPE).sort());
    for (const [id, scope] of Object.entries(EXPECTED_SCOPE)) expect({ id, security: declared[id] }).toEqual({ id, security: [{ bearerAuth: [scope] }] });
    for (const { op } of ops) {
      for (const status of ["401", "403", "429"]) expect(Object.keys(op.responses), op.operationId).toContain(status);
      expect(SCOPES).toContain(EXPECTED_SCOPE[op.operationId]);
    }
  });

  it("the public endpoints need no key", async () => {
    for (const path of ["/healthz", "/openapi.json", "/docs"]) expect((await exports.default.fetch(`http://x${path}`)).status, path).toBe(200);
  });
});

describe("401, 403 per operation", () => {
  it("no key, an unknown key, a malformed header: 401 problem with a Bearer challenge and the request id", async () => {
    const { ops } = await operations();
    for (const { path, method, op } of ops) {
      for (const [key, extra] of [[undefined, {}], ["adl_not_a_key_of_this_service_00000000", {}], [undefined, { authorization: "Basic YTpi" }]] as const) {
        const res = await send(method, path, key, { ...extra, "x-request-id": `rid-${op.operationId}` });
        const body = (await res.json()) as { type: string; status: number; requestId: string };
        expect({ op: op.operationId, status: res.status, type: body.type }).toEqual({ op: op.operationId, status: 401, type: "/problems/unauthorized" });
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="adl"/);
        expect(res.headers.get("x-request-id")).toBe(`rid-${op.operationId}`);
        expect(body.requestId).toBe(`rid-${op.operationId}`);
      }
    }
  });

  it("a key without the operation's scope: 403 naming the scope; with it: neither 401 nor 403", async () => {
    const { ops } = await operations();
    for (const { path, method, op } of ops) {
      const needed = EXPECTED_SCOPE[op.operationId];
      for (const k of SINGLE_SCOPE_KEYS) {
        const res = await send(method, path, k.key);
        const body = (await res.json()) as { type: string; requiredScopes?: string[] };
        if ((k.scopes as readonly string[]).includes(needed ?? "")) {
          expect([401, 403], `${op.operationId} with ${k.id}`).not.toContain(res.status);
        } else {
          expect({ op: op.operationId, key: k.id, status: res.status, type: body.type }).toEqual({ op: op.operationId, key: k.id, status: 403, type: "/problems/forbidden" });
          expect(body.requiredScopes).toEqual([needed]);
          expect(res.headers.get("www-authenticate")).toContain(`error="insufficient_scope", scope="${needed}"`);
        }
      }
    }
  });

  it("a refused call changes nothing: a deposit refused for scope leaves no ledger entry", async () => {
    const m = uniqueMarket("AUTH-NOCHANGE");
    const put = await exports.default.fetch(`http://x/v1/markets/${m}`, {
      method: "PUT",
      headers: { "content-type": "application/json", "idempotency-key": "cfg", authorization: `Bearer ${TEST_KEYS.tenantA.key}` },
      body: JSON.stringify(linearMarket),
    });
    expect(put.status).toBe(200);
    for (const key of [TEST_KEYS.fundRead.key, TEST_KEYS.liquidations.key, "adl_unknown_key_0000000000000000"]) {
      const res = await exports.default.fetch(`http://x/v1/markets/${m}/insurance-fund/deposits`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "dep", authorization: `Bearer ${key}` },
        body: JSON.stringify({ amount: "5" }),
      });
      expect([401, 403]).toContain(res.status);
    }
    const fund = await exports.default.fetch(`http://x/v1/markets/${m}/insurance-fund`, { headers: { authorization: `Bearer ${TEST_KEYS.fundRead.key}` } });
    expect(await fund.json()).toMatchObject({ balance: "0", ledgerEntries: 0 });
  });
});

describe("429 per key", () => {
  it("past the key's budget: 429 problem with Retry-After; other keys unaffected", async () => {
    const headers = { authorization: `Bearer ${TEST_KEYS.limited.key}` };
    let limited: Response | undefined;
    // Fixed windows: a window may end during the loop, so allow up to two budgets before the first refusal.
    for (let i = 0; i < 2 * RATE_LIMIT_TEST_LIMIT + 1 && !limited; i++) {
      const res = await exports.default.fetch("http://x/v1/markets/RL-M", { headers: { ...headers, "x-request-id": `rl-${i}` } });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(404);
    }
    expect(limited, "no 429 within two budgets").toBeDefined();
    expect(limited?.headers.get("retry-after")).toBe(String(RATE_LIMIT_PERIOD_SECONDS));
    expect(limited?.headers.get("content-type")).toBe("application/problem+json");
    const body = (await limited?.json()) as { type: string; status: number; requestId: string; retryAfterSeconds: number };
    expect(body).toMatchObject({ type: "/problems/rate-limited", status: 429, retryAfterSeconds: RATE_LIMIT_PERIOD_SECONDS });
    expect(body.requestId).toMatch(/^rl-\d+$/);
    const other = await exports.default.fetch("http://x/v1/markets/RL-M", { headers: { authorization: `Bearer ${TEST_KEYS.fundRead.key}` } });
    expect(other.status).toBe(404);
  });
});

describe("request logs of the real app", () => {
  afterEach(() => vi.restoreAllMocks());

  it("JSON lines with request id, route, status, tenant and key id; no key, no body, no query", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const loud = { ...env, LOG_LEVEL: "info" };
    const m = uniqueMarket("LOG");
    const key = TEST_KEYS.tenantA.key;
    const auth = { authorization: `Bearer ${key}` };
    await app.request(`/v1/markets/${m}`, { method: "PUT", headers: { ...auth, "content-type": "application/json", "idempotency-key": "cfg", "x-request-id": "log-1" }, body: JSON.stringify(linearMarket) }, loud);
    await app.request(`/v1/markets/${m}/insurance-fund/deposits`, { method: "POST", headers: { ...auth, "content-type": "application/json", "idempotency-key": "d" }, body: JSON.stringify({ amount: "424242.17", reference: "secret-ref-xyz" }) }, loud);
    await app.request(`/v1/markets/${m}/insurance-fund/ledger?cursor=999&limit=7`, { headers: auth }, loud);
    await app.request("/v1/adl/rankings", { method: "POST", headers: { authorization: "Bearer adl_wrong_key_000000000000000000", "content-type": "application/json" }, body: "{}" }, loud);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((l) => [l.method, l.path, l.status, l.tenant, l.keyId])).toEqual([
      ["PUT", `/v1/markets/${m}`, 200, "tenant-a", "test-a"],
      ["POST", `/v1/markets/${m}/insurance-fund/deposits`, 201, "tenant-a", "test-a"],
      ["GET", `/v1/markets/${m}/insurance-fund/ledger`, 200, "tenant-a", "test-a"],
      ["POST", "/v1/adl/rankings", 401, undefined, undefined],
    ]);
    expect(parsed[0]).toMatchObject({ level: "info", msg: "request", requestId: "log-1" });
    expect(parsed[3]?.level).toBe("warn");
    const all = lines.join("\n");
    for (const secret of [key, "adl_wrong_key", "424242.17", "secret-ref-xyz", "cursor=", "sha256:", "USDT"]) expect(all).not.toContain(secret);
  });
});
