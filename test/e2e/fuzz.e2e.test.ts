// Fuzz against the real local server (npm start on a free port): thousands of generated hostile requests
// (test/e2e/fuzz-cases.ts) at every operation. Oracles: no 5xx, every answer carries a request id and failures are
// problem+json, every request to a state-changing operation is refused (4xx), bad credentials get exactly 401/403,
// and the market, fund and ledger read before equal those read after (nothing changed). The server's log must not
// contain the API key or account ids from the requests.
//   FUZZ_COUNT (default 6000) and FUZZ_SEED (default below) reproduce or enlarge a run.
import { afterAll, beforeAll, expect, it } from "vitest";
import { generateCases, type FuzzCase } from "./fuzz-cases";
import { DEV_KEYS, authHeaders, startServer, type LocalServer } from "./server";

const COUNT = Number(process.env.FUZZ_COUNT ?? 6000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const CONCURRENCY = 16;
const MARKET = "FZ-M";

let server: LocalServer;
beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function api(method: string, path: string, body?: unknown, key: string = DEV_KEYS.dev, idem?: string) {
  const headers: Record<string, string> = { ...authHeaders(key) };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (idem) headers["idempotency-key"] = idem;
  const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as any;
  // A problem's requestId differs per request; its type is what is compared.
  return { status: res.status, body: res.ok ? json : { type: json.type } };
}

/** What a tenant can observe of the market: configuration, fund, every ledger entry. */
async function observe(key: string) {
  const market = await api("GET", `/v1/markets/${MARKET}`, undefined, key);
  const fund = await api("GET", `/v1/markets/${MARKET}/insurance-fund`, undefined, key);
  const entries: unknown[] = [];
  let cursor: string | null = null;
  let ledgerStatus = 0;
  do {
    const page = await api("GET", `/v1/markets/${MARKET}/insurance-fund/ledger?limit=500${cursor ? `&cursor=${cursor}` : ""}`, undefined, key);
    ledgerStatus = page.status;
    if (page.status !== 200) break;
    entries.push(...page.body.entries);
    cursor = page.body.nextCursor;
  } while (cursor);
  return { market, fund, ledgerStatus, entries };
}

it(`${COUNT} malformed requests (seed ${SEED}): zero 5xx, every mutation refused, no state change, no secrets in the log`, async () => {
  // A market with history: configuration, deposits, a withdrawal, a liquidation.
  expect((await api("PUT", `/v1/markets/${MARKET}`, { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT", fundFloor: "10" }, DEV_KEYS.dev, "cfg")).status).toBe(200);
  expect((await api("POST", `/v1/markets/${MARKET}/insurance-fund/deposits`, { amount: "1000" }, DEV_KEYS.dev, "dep")).status).toBe(201);
  expect((await api("POST", `/v1/markets/${MARKET}/insurance-fund/withdrawals`, { amount: "1.5" }, DEV_KEYS.dev, "wd")).status).toBe(201);
  const liq = {
    markPrice: "10000",
    liquidated: { accountId: "setup-bankrupt", side: "long", size: "2", entryPrice: "11000", margin: "2000" },
    executions: [{ quantity: "1", price: "10010" }],
    counterparties: [{ accountId: "setup-short", side: "short", size: "3", entryPrice: "10500", margin: "1000" }],
    method: "bitmex",
  };
  expect((await api("POST", `/v1/markets/${MARKET}/liquidations`, liq, DEV_KEYS.dev, "liq")).status).toBe(201);
  const before = await observe(DEV_KEYS.dev);
  const beforeOther = await observe(DEV_KEYS.devB);
  expect(before.entries.length).toBeGreaterThanOrEqual(3);
  expect(beforeOther.market.status).toBe(404);

  // The stateless operations' documented examples are the valid requests to break.
  const spec = (await (await fetch(`${server.url}/openapi.json`)).json()) as any;
  const engineExamples: Record<string, unknown> = {};
  for (const path of ["/v1/positions/risk", "/v1/adl/rankings", "/v1/adl/fills", "/v1/adl/policies/compare"]) {
    const ref = String(spec.paths[path]?.post?.requestBody?.content?.["application/json"]?.schema?.$ref ?? "").split("/").pop() ?? "";
    if (spec.components.schemas[ref]?.example) engineExamples[path] = spec.components.schemas[ref].example;
  }
  expect(Object.keys(engineExamples).length).toBeGreaterThanOrEqual(3);

  const cases = generateCases(SEED, COUNT, { marketId: MARKET, key: DEV_KEYS.dev, readOnlyKey: DEV_KEYS.readOnly, otherTenantKey: DEV_KEYS.devB, engineExamples });
  const failures: string[] = [];
  const byStatus = new Map<number, number>();
  const byKind = new Map<string, number>();
  const describe = (c: FuzzCase, status: number | string) => `#${c.index} ${c.kind}: ${c.method} ${c.path.slice(0, 80)} -> ${status}`;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++] as FuzzCase;
      byKind.set(c.kind.split(":")[1]?.trim().split(" ")[0] ?? c.kind, (byKind.get(c.kind.split(":")[1]?.trim().split(" ")[0] ?? c.kind) ?? 0) + 1);
      let res: Response;
      try {
        res = await fetch(`${server.url}${c.path}`, { method: c.method, headers: c.headers, body: c.body });
      } catch (e) {
        failures.push(describe(c, `network error ${(e as Error).message}`));
        continue;
      }
      const text = await res.text();
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(describe(c, `${res.status} ${text.slice(0, 200)}`));
      if (c.mutating && (res.status < 400 || res.status >= 500)) failures.push(describe(c, `${res.status}: a mutation was not refused`));
      if (c.expect && !c.expect.includes(res.status)) failures.push(describe(c, `${res.status}, expected ${c.expect.join("/")}`));
      if (!res.headers.get("x-request-id")) failures.push(describe(c, "no X-Request-Id"));
      if (res.status >= 400 && c.method !== "HEAD" && res.headers.get("content-type") !== "application/problem+json") failures.push(describe(c, `${res.status} not problem+json`));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const statuses = [...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(" ");
  console.log(`fuzz: ${cases.length} requests (seed ${SEED}) in ${seconds.toFixed(1)} s (${(cases.length / seconds).toFixed(0)} req/s); statuses ${statuses}; failures ${failures.length}`);
  if (failures.length > 0) console.log(`server output (tail):\n${server.output().slice(-6000)}`);
  expect(failures.slice(0, 20)).toEqual([]);
  expect([...byStatus.keys()].filter((s) => s >= 500)).toEqual([]);

  // Nothing changed, for either tenant.
  expect(await observe(DEV_KEYS.dev)).toEqual(before);
  expect(await observe(DEV_KEYS.devB)).toEqual(beforeOther);

  // The log has request lines, but never the key or what the requests carried.
  const log = server.output();
  expect(log).toContain('"msg":"request"');
  for (const secret of [DEV_KEYS.dev, DEV_KEYS.readOnly, DEV_KEYS.devB, "fz-acct", "setup-bankrupt", "setup-short"]) expect(log, secret).not.toContain(secret);
}, Math.max(300_000, COUNT * 20));
