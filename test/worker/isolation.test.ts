// Tenant isolation, route by route, through the real app: a key of tenant B never reads or changes tenant A's market,
// fund or ledger, even with the same market id and the same idempotency keys. Stateful routes answer 404 for a
// market the caller's tenant has not configured; stateless routes hold no tenant data and answer both the same.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { allLedger, call, callJson, counterparties, linearMarket, uniqueMarket } from "./fund-helpers";
import { TEST_KEYS } from "./keys";

const A = TEST_KEYS.tenantA.key;
const B = TEST_KEYS.tenantB.key;

const liquidation = {
  markPrice: "10000",
  liquidated: { accountId: "bankrupt-1", side: "long", size: "2", entryPrice: "11000", margin: "2000" },
  executions: [{ quantity: "1", price: "10010" }],
  counterparties: counterparties(5, "short"),
  method: "bitmex",
};

/** Everything tenant A can observe about its market. */
async function snapshot(m: string, key: string) {
  const get = async (suffix: string) => {
    const { status, body } = await callJson("GET", `/v1/markets/${m}${suffix}`, undefined, undefined, key);
    return { status, body };
  };
  return { market: await get(""), fund: await get("/insurance-fund"), ledger: await allLedger(m, key) };
}

describe("stateful routes: tenant B cannot reach tenant A's market", () => {
  const m = uniqueMarket("ISO");
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    expect((await callJson("PUT", `/v1/markets/${m}`, { ...linearMarket, fundFloor: "10" }, "cfg", A)).status).toBe(200);
    expect((await callJson("POST", `/v1/markets/${m}/insurance-fund/deposits`, { amount: "1000" }, "dep-1", A)).status).toBe(201);
    expect((await callJson("POST", `/v1/markets/${m}/insurance-fund/withdrawals`, { amount: "100" }, "wd-1", A)).status).toBe(201);
    expect((await callJson("POST", `/v1/markets/${m}/liquidations`, liquidation, "liq-1", A)).status).toBe(201);
    before = await snapshot(m, A);
    expect(before.ledger.length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ["GET /v1/markets/{id}", "GET", ""],
    ["GET /v1/markets/{id}/insurance-fund", "GET", "/insurance-fund"],
    ["GET /v1/markets/{id}/insurance-fund/ledger", "GET", "/insurance-fund/ledger"],
  ])("%s as tenant B: 404, nothing of A's in the answer", async (_name, method, suffix) => {
    const res = await callJson(method, `/v1/markets/${m}${suffix}`, undefined, undefined, B);
    expect(res.status).toBe(404);
    expect(res.body.type).toBe("/problems/not-found");
    expect(JSON.stringify(res.body)).not.toMatch(/1000|balance|entryId/);
  });

  it.each([
    ["POST deposits", "/insurance-fund/deposits", { amount: "5" }, "dep-1"],
    ["POST withdrawals", "/insurance-fund/withdrawals", { amount: "5" }, "wd-1"],
    ["POST liquidations", "/liquidations", liquidation, "liq-1"],
  ])("%s as tenant B, even replaying A's idempotency key: 404, A's state unchanged", async (_name, suffix, body, key) => {
    const res = await callJson("POST", `/v1/markets/${m}${suffix}`, body, key, B);
    expect(res.status).toBe(404);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    expect(await snapshot(m, A)).toEqual(before);
  });

  it("PUT /v1/markets/{id} as tenant B creates B's own market under the same id; A's is untouched, and B's money stays B's", async () => {
    const put = await callJson("PUT", `/v1/markets/${m}`, { ...linearMarket, settlementAsset: "USDC" }, "cfg", B);
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(1);
    expect(put.headers.get("idempotent-replayed")).toBeNull();
    // A's key "dep-1" is a fresh key in B's fund, not a replay of A's deposit.
    const dep = await callJson("POST", `/v1/markets/${m}/insurance-fund/deposits`, { amount: "7" }, "dep-1", B);
    expect(dep.status).toBe(201);
    expect(dep.headers.get("idempotent-replayed")).toBeNull();
    expect((await callJson("GET", `/v1/markets/${m}/insurance-fund`, undefined, undefined, B)).body.balance).toBe("7");
    expect((await allLedger(m, B)).map((e) => e.amount)).toEqual(["7"]);
    expect(await snapshot(m, A)).toEqual(before);
    expect((await callJson("GET", `/v1/markets/${m}`, undefined, undefined, A)).body.settlementAsset).toBe("USDT");
  });

  it("a key of the same tenant with fewer scopes sees the same market (isolation is by tenant, not by key)", async () => {
    const res = await callJson("GET", `/v1/markets/${m}/insurance-fund`, undefined, undefined, TEST_KEYS.fundRead.key);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(before.fund.body);
  });
});

describe("stateless routes: no tenant data, the same answer for every tenant", () => {
  type Doc = { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema?: { $ref?: string } }> } }>>; components: { schemas: Record<string, { example?: unknown }> } };
  const engine = ["/v1/positions/risk", "/v1/adl/rankings", "/v1/adl/fills", "/v1/adl/policies/compare"];

  it.each(engine)("POST %s answers tenants A and B identically", async (path) => {
    const doc = (await (await exports.default.fetch("http://x/openapi.json")).json()) as Doc;
    const ref = doc.paths[path]?.post?.requestBody?.content["application/json"]?.schema?.$ref?.split("/").pop() ?? "";
    const example = doc.components.schemas[ref]?.example;
    expect(example, `${path} has a documented example`).toBeDefined();
    const a = await call("POST", path, example, undefined, A);
    const b = await call("POST", path, example, undefined, B);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await b.text()).toBe(await a.text());
  });
});
