// GET /v1/markets through the real app: the tenant directory lists every acknowledged PUT, in market-id order,
// page by page without repeats or gaps, never another tenant's markets; and a configuration stored but not yet
// registered (a failure between the market object and the directory) is registered by the market's alarm.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env";
import { callJson, linearMarket } from "./fund-helpers";
import { TEST_KEYS } from "./keys";

const A: string = TEST_KEYS.tenantA.key;
const B: string = TEST_KEYS.tenantB.key;
const bindings = env as unknown as Bindings;

async function listAll(key: string, limit: number, prefix = ""): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const res: { status: number; body: { markets: { marketId: string }[]; nextCursor: string | null } } = await callJson(
      "GET",
      `/v1/markets?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      undefined,
      undefined,
      key,
    );
    expect(res.status).toBe(200);
    expect(res.body.markets.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.markets.map((m) => m.marketId));
    cursor = res.body.nextCursor;
    if (!cursor) break;
  }
  return ids.filter((id) => id.startsWith(prefix));
}

const put = (id: string, key = A, body: Record<string, unknown> = linearMarket, idem = `cfg-${id}`) => callJson("PUT", `/v1/markets/${id}`, body, idem, key);

describe("GET /v1/markets", () => {
  it("lists every acknowledged PUT, ascending by id, across pages, with the configuration GET returns", async () => {
    const ids = ["L-c", "L-a", "L-e", "L-b", "L-d", "L-f", "L-g"];
    for (const id of ids) expect((await put(id)).status).toBe(200);
    for (const limit of [1, 2, 3, 500]) expect(await listAll(A, limit, "L-")).toEqual([...ids].sort());
    const page = await callJson("GET", "/v1/markets?limit=500");
    const listed = page.body.markets.find((m: { marketId: string }) => m.marketId === "L-c");
    expect(listed).toEqual((await callJson("GET", "/v1/markets/L-c")).body);
  });

  it("a changed configuration is listed at its new version; a refused PUT lists nothing", async () => {
    expect((await put("V-1")).status).toBe(200);
    expect((await put("V-1", A, { ...linearMarket, fundFloor: "5" }, "cfg-V-1-b")).status).toBe(200);
    const bad = await put("V-bad", A, { ...linearMarket, lotSize: "0" });
    expect(bad.status).toBe(422);
    const page = await callJson("GET", "/v1/markets?limit=500");
    const v1 = page.body.markets.find((m: { marketId: string }) => m.marketId === "V-1");
    expect(v1).toMatchObject({ version: 2, fundFloor: "5" });
    expect(page.body.markets.some((m: { marketId: string }) => m.marketId === "V-bad")).toBe(false);
  });

  it("pagination is stable: markets created while paging never make a page repeat or skip an existing one", async () => {
    const before = ["P-10", "P-20", "P-30", "P-40", "P-50", "P-60"];
    for (const id of before) await put(id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let created = false;
    do {
      const res: { body: { markets: { marketId: string }[]; nextCursor: string | null } } = await callJson("GET", `/v1/markets?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...res.body.markets.map((m) => m.marketId));
      cursor = res.body.nextCursor;
      if (!created && seen.includes("P-30")) {
        created = true;
        await put("P-05"); // sorts before the cursor: not on a later page
        await put("P-35"); // sorts after it: on a later page
      }
    } while (cursor);
    const p = seen.filter((id) => id.startsWith("P-"));
    expect(p).toEqual(["P-10", "P-20", "P-30", "P-35", "P-40", "P-50", "P-60"]);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("tenants never see each other's markets, even under the same id", async () => {
    await put("T-shared", A);
    await put("T-only-a", A);
    await put("T-shared", B, { ...linearMarket, fundFloor: "7" });
    await put("T-only-b", B);
    expect(await listAll(A, 1, "T-")).toEqual(["T-only-a", "T-shared"]);
    expect(await listAll(B, 1, "T-")).toEqual(["T-only-b", "T-shared"]);
    const bPage = await callJson("GET", "/v1/markets?limit=500", undefined, undefined, B);
    expect(bPage.body.markets.every((m: { marketId: string }) => !m.marketId.startsWith("L-"))).toBe(true);
    expect(bPage.body.markets.find((m: { marketId: string }) => m.marketId === "T-shared").fundFloor).toBe("7");
  });

  it("needs fund:read; bad cursor, limit and unknown values are 422 problems naming the parameter", async () => {
    const forbidden = await callJson("GET", "/v1/markets", undefined, undefined, TEST_KEYS.compute.key);
    expect(forbidden.status).toBe(403);
    expect((await callJson("GET", "/v1/markets", undefined, undefined, TEST_KEYS.fundRead.key)).status).toBe(200);
    for (const [query, pointer] of [
      ["limit=0", "#query/limit"],
      ["limit=501", "#query/limit"],
      ["limit=x", "#query/limit"],
      ["cursor=a%20b", "#query/cursor"],
    ] as const) {
      const res = await callJson("GET", `/v1/markets?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    }
  });

  it("a configuration stored but not registered (failure between the two objects) is registered by the alarm", async () => {
    // Simulates a crash after the market object committed: its outbox holds the version, the directory lacks it.
    const id = "C-crashed";
    const stub = bindings.MARKET_FUND.get(bindings.MARKET_FUND.idFromName(`tenant-a:${id}`));
    const view = { marketId: id, ...linearMarket, tickSize: "0.1", amountDecimals: 8, fundFloor: "0", maxDrawPerEvent: null, adlTrigger: { rule: "floor", windowMs: 28_800_000 }, adlPolicy: "queue", version: 1, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
    await runInDurableObject(stub, async (_instance, state) => {
      state.storage.sql.exec(`INSERT INTO directory_outbox (id, tenant_id, version, view) VALUES (1, 'tenant-a', 1, ?)`, JSON.stringify(view));
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await listAll(A, 500, "C-")).toEqual([]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await listAll(A, 500, "C-")).toEqual([id]);
    await runInDurableObject(stub, (_instance, state) => {
      expect(state.storage.sql.exec(`SELECT COUNT(*) AS n FROM directory_outbox`).one().n).toBe(0);
    });
    // Registration is idempotent and monotonic: an older version never replaces a newer one.
    const dir = bindings.TENANT_DIRECTORY.get(bindings.TENANT_DIRECTORY.idFromName("tenant-a"));
    await dir.register({ ...view, version: 3, fundFloor: "3" } as never);
    await dir.register({ ...view, version: 2, fundFloor: "2" } as never);
    const page = await callJson("GET", "/v1/markets?cursor=C-cras&limit=1");
    expect(page.body.markets[0]).toMatchObject({ marketId: id, version: 3, fundFloor: "3" });
  });
});
