// Crash under mixed load on the real local server: two tenants' bots send rankings, deposits, withdrawals and
// liquidations (some with a client timeout so short the answer is abandoned mid-flight); the whole server is
// SIGKILLed in the middle, restarted on the same storage, and then: every acknowledged mutation is in its own
// tenant's ledger (and only there), each balance equals its ledger sum, and retrying every request, acknowledged,
// abandoned or lost, books each idempotency key exactly once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { DEV_KEYS, startServer, type LocalServer } from "./server";

const persistDir = mkdtempSync(join(tmpdir(), "adl-crash-mixed-"));
let server: LocalServer | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(persistDir, { recursive: true, force: true });
});

const MARKET = "CRASH-MIXED";
const TENANTS = [
  { name: "dev", key: DEV_KEYS.dev },
  { name: "dev-b", key: DEV_KEYS.devB },
] as const;
type Tenant = (typeof TENANTS)[number];
const shorts = Array.from({ length: 20 }, (_, i) => ({ accountId: `s${i}`, side: "short", size: "1", entryPrice: String(10_000 + i * 10), margin: "1000" }));
const rankingBody = { market: { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1" }, markPrice: "10000", method: "bitmex", indicator: "bybit", positions: shorts };

type Kind = "ranking" | "deposit" | "withdrawal" | "liquidation";
const kindOf = (i: number): Kind => (["ranking", "deposit", "liquidation", "withdrawal", "deposit", "ranking"] as const)[i % 6] as Kind;
/** Ledger entries one booking of the request writes (a liquidation here: +10 credited, -5 drawn). */
const ENTRIES: Record<Kind, number> = { ranking: 0, deposit: 1, withdrawal: 1, liquidation: 2 };

function request(t: Tenant, i: number): { path: string; body: unknown; key?: string } {
  const key = `crash-${t.name}-${i}`;
  switch (kindOf(i)) {
    case "ranking":
      return { path: "/v1/adl/rankings", body: rankingBody };
    case "deposit":
      return { path: `/v1/markets/${MARKET}/insurance-fund/deposits`, body: { amount: `${1 + (i % 89)}.125` }, key };
    case "withdrawal":
      return { path: `/v1/markets/${MARKET}/insurance-fund/withdrawals`, body: { amount: `0.${1 + (i % 9)}` }, key };
    case "liquidation":
      return {
        path: `/v1/markets/${MARKET}/liquidations`,
        body: { markPrice: "10000", liquidated: { accountId: `b${i}`, side: "long", size: "2", entryPrice: "11000", margin: "2000" }, executions: [{ quantity: "1", price: "10010" }, { quantity: "0.5", price: "9990" }], counterparties: shorts, method: "bitmex" },
        key,
      };
  }
}

function send(url: string, t: Tenant, i: number, timeoutMs?: number): Promise<Response> {
  const { path, body, key } = request(t, i);
  const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${t.key}` };
  if (key) headers["idempotency-key"] = key;
  return fetch(`${url}${path}`, { method: "POST", headers, body: JSON.stringify(body), signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined });
}

interface Entry {
  entryId: string;
  amount: string;
  idempotencyKey: string;
}

async function get<T>(url: string, t: Tenant, path: string): Promise<T> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${t.key}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

async function ledger(url: string, t: Tenant): Promise<Entry[]> {
  const out: Entry[] = [];
  let cursor: string | null = null;
  do {
    const page: { entries: Entry[]; nextCursor: string | null } = await get(url, t, `/v1/markets/${MARKET}/insurance-fund/ledger?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
    out.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Exact sum of decimal strings with at most 8 decimals, as scaled integers. */
const scaled = (s: string) => {
  const [i = "0", f = ""] = s.replace("-", "").split(".");
  const v = BigInt(i) * 10n ** 8n + BigInt((f + "00000000").slice(0, 8));
  return s.startsWith("-") ? -v : v;
};

async function checkBalanced(url: string, t: Tenant): Promise<Entry[]> {
  const entries = await ledger(url, t);
  const fund = await get<{ balance: string; version: number }>(url, t, `/v1/markets/${MARKET}/insurance-fund`);
  expect(entries.reduce((a, e) => a + scaled(e.amount), 0n), `${t.name} balance = ledger sum`).toBe(scaled(fund.balance));
  expect(fund.version).toBe(entries.length);
  return entries;
}

it("SIGKILL during mixed load of two tenants: every acknowledged mutation survives in its own ledger, balances equal ledger sums, retries book once", async () => {
  server = await startServer({ persistDir });
  const url0 = server.url;
  for (const t of TENANTS) {
    const put = await fetch(`${url0}/v1/markets/${MARKET}`, {
      method: "PUT",
      headers: { "content-type": "application/json", "idempotency-key": "cfg", authorization: `Bearer ${t.key}` },
      body: JSON.stringify({ contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT" }),
    });
    expect(put.status).toBe(200);
    const seed = await fetch(`${url0}/v1/markets/${MARKET}/insurance-fund/deposits`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "seed", authorization: `Bearer ${t.key}` },
      body: JSON.stringify({ amount: "1000000" }),
    });
    expect(seed.status).toBe(201);
  }

  // 24 clients per tenant, numbered requests; every 4th waits at most 1-40 ms for its answer, then gives up.
  const acked = new Map<string, { t: Tenant; i: number; entryIds: string[] }>();
  const answers = new Map<number, number>();
  const sent: Record<string, number> = { dev: 0, "dev-b": 0 };
  let abandoned = 0;
  let dead = false;
  const client = (t: Tenant) => async () => {
    while (!dead) {
      const i = sent[t.name]!++;
      const timeoutMs = i % 4 === 3 ? 1 + (i % 40) : undefined;
      try {
        const res = await send(url0, t, i, timeoutMs);
        answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
        const body = (await res.json()) as { entry?: { entryId: string }; ledgerEntries?: { entryId: string }[] };
        if (res.status === 201) acked.set(`${t.name}-${i}`, { t, i, entryIds: body.entry ? [body.entry.entryId] : (body.ledgerEntries ?? []).map((e) => e.entryId) });
      } catch (e) {
        if ((e as Error).name === "TimeoutError") abandoned++;
        // otherwise in flight when the server died: not acknowledged
      }
    }
  };
  const clients = TENANTS.flatMap((t) => Array.from({ length: 24 }, () => client(t)()));
  // Kill after at least 3000 ms and once more than 50 writes are acknowledged (at most 90 s): a loaded machine
  // acknowledges fewer per second, and the test is about what survives the kill, not about throughput.
  const started = Date.now();
  while (Date.now() - started < 3000 || (acked.size <= 50 && Date.now() - started < 90_000)) await new Promise((r) => setTimeout(r, 25));
  await server.kill();
  dead = true;
  await Promise.all(clients);
  const statuses = [...answers].map(([s, n]) => `${s}:${n}`).join(" ");
  console.log(`crash (mixed): sent dev ${sent.dev}, dev-b ${sent["dev-b"]}; answers ${statuses}; ${acked.size} mutations acknowledged, ${abandoned} abandoned by client timeout, then SIGKILL`);
  expect(acked.size).toBeGreaterThan(50);
  // Before the crash every answer was a success: rankings 200, mutations 201.
  expect([...answers.keys()].sort()).toEqual([200, 201]);

  server = await startServer({ persistDir });
  const url = server.url;
  for (const t of TENANTS) {
    const entries = await checkBalanced(url, t);
    const byId = new Map(entries.map((e) => [e.entryId, e]));
    // Entry ids are numbered per fund, so only a tenant's own acknowledgements are looked up in its ledger.
    for (const a of acked.values()) {
      if (a.t !== t) continue;
      for (const id of a.entryIds) expect(byId.get(id)?.idempotencyKey, `${t.name} request ${a.i}`).toBe(`crash-${t.name}-${a.i}`);
    }
    // Nothing of the other tenant's landed here.
    expect(entries.filter((e) => e.idempotencyKey !== "seed" && !e.idempotencyKey.startsWith(`crash-${t.name}-`))).toEqual([]);
  }

  // Retrying everything that was sent (acknowledged, abandoned or lost) books each key exactly once.
  for (const t of TENANTS) {
    const n = sent[t.name]!;
    for (let i = 0; i < n; i += 25) {
      const batch = Array.from({ length: Math.min(25, n - i) }, (_, k) => send(url, t, i + k));
      for (const res of await Promise.all(batch)) expect([200, 201]).toContain(res.status);
    }
    const entries = await checkBalanced(url, t);
    const perKey = new Map<string, number>();
    for (const e of entries) perKey.set(e.idempotencyKey, (perKey.get(e.idempotencyKey) ?? 0) + 1);
    for (let i = 0; i < n; i++) {
      const expected = ENTRIES[kindOf(i)];
      expect(perKey.get(`crash-${t.name}-${i}`) ?? 0, `${t.name} key ${i} (${kindOf(i)})`).toBe(expected);
    }
  }
}, 180_000);
