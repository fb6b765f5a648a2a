// Every operation in openapi.yaml, called through the generated SDK against the real local server (the README's start
// command on a free port with its own storage): its success path and its error paths. The last test checks, from
// what the SDK actually sent and received, that every operation was called and every documented status was seen.
import { AdlApiError, createAdlClient, unwrap, type AdlClient, type operations } from "@adl/sdk";
import type { Middleware } from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSpecOperations, type SpecOperation } from "./sdk-operations";
import { startServer, type LocalServer } from "./server";

const SPEC = loadSpecOperations();

/**
 * Documented statuses that a test against a healthy local server cannot produce on purpose, with the reason. Every
 * other documented status of every operation must be observed below.
 */
const UNREACHABLE: Record<string, string> = {
  "429": "no rate limit is configured locally",
  "500": "an internal error is a bug, not a contract",
};

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

beforeAll(async () => {
  server = await startServer();
  adl = createAdlClient({ baseUrl: server.url, retries: 0 });
  adl.use(recorder);
}, 120_000);
afterAll(async () => {
  await server?.stop();
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
};

// Path parameter values for the transport checks below (requests refused before they reach a handler).
const PATH_PARAMS: Record<string, string> = { marketId: "BTC-PERP" };

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

  it("every operation was called through the SDK and every documented status was seen", () => {
    const unseen: string[] = [];
    for (const op of SPEC) {
      const seen = observed.get(`${op.method.toUpperCase()} ${op.path}`) ?? new Set<number>();
      if (![...seen].some((s) => s >= 200 && s < 300)) unseen.push(`${op.key}: no 2xx`);
      for (const status of op.statuses) {
        if (!(status in UNREACHABLE) && /^\d{3}$/.test(status) && !seen.has(Number(status))) unseen.push(`${op.key}: ${status}`);
      }
    }
    expect(unseen).toEqual([]);
  });
});
