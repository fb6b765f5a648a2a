/**
 * Durability of the insurance fund on the real local server: load it with deposits and liquidations, SIGKILL the
 * whole server in the middle, restart it on the same storage, and check that every acknowledged entry is there,
 * the balance equals the ledger sum, and retrying the unacknowledged requests books each key exactly once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { authHeaders, startServer, type LocalServer } from "./server";

const persistDir = mkdtempSync(join(tmpdir(), "adl-fund-crash-"));
let server: LocalServer | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(persistDir, { recursive: true, force: true });
});

const market = "BTC-USDT-CRASH";
const shorts = Array.from({ length: 20 }, (_, i) => ({ accountId: `s${i}`, side: "short", size: "1", entryPrice: String(10_000 + i * 10), margin: "1000" }));

function requestFor(i: number): { path: string; body: unknown } {
  if (i % 3 === 0) {
    // BP 10,000; +10 credited, -5 drawn, the remaining 0.5 deleveraged.
    return {
      path: `/v1/markets/${market}/liquidations`,
      body: { markPrice: "10000", liquidated: { accountId: `b${i}`, side: "long", size: "2", entryPrice: "11000", margin: "2000" }, executions: [{ quantity: "1", price: "10010" }, { quantity: "0.5", price: "9990" }], counterparties: shorts, method: "bitmex" },
    };
  }
  return { path: `/v1/markets/${market}/insurance-fund/deposits`, body: { amount: `${1 + (i % 97)}.25` } };
}

async function send(url: string, i: number): Promise<Response> {
  const { path, body } = requestFor(i);
  return fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", "idempotency-key": `load-${i}`, ...authHeaders() }, body: JSON.stringify(body) });
}

interface Entry {
  entryId: string;
  amount: string;
  idempotencyKey: string;
  balanceAfter: string;
  sequence: number;
}

async function ledger(url: string): Promise<Entry[]> {
  const out: Entry[] = [];
  let cursor: string | null = null;
  do {
    const res = await fetch(`${url}/v1/markets/${market}/insurance-fund/ledger?limit=500${cursor ? `&cursor=${cursor}` : ""}`, { headers: authHeaders() });
    const page = (await res.json()) as { entries: Entry[]; nextCursor: string | null };
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

it("kill -9 in the middle of a load loses no acknowledged entry; the balance equals the ledger sum after restart", async () => {
  server = await startServer({ persistDir });
  const url = server.url;
  const put = await fetch(`${url}/v1/markets/${market}`, {
    method: "PUT",
    headers: { "content-type": "application/json", "idempotency-key": "cfg", ...authHeaders() },
    body: JSON.stringify({ contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT" }),
  });
  expect(put.status).toBe(200);

  // 30 clients send numbered requests until the server dies; record what was acknowledged.
  const acked = new Map<number, { entryIds: string[] }>();
  let next = 0;
  let dead = false;
  const refused: number[] = [];
  const client = async () => {
    while (!dead) {
      const i = next++;
      try {
        const res = await send(url, i);
        if (res.status === 201) {
          const body = (await res.json()) as { entry?: { entryId: string }; ledgerEntries?: { entryId: string }[] };
          acked.set(i, { entryIds: body.entry ? [body.entry.entryId] : (body.ledgerEntries ?? []).map((e) => e.entryId) });
        } else refused.push(res.status);
      } catch {
        // in flight when the server died: not acknowledged
      }
    }
  };
  const clients = Array.from({ length: 30 }, client);
  // Kill after at least 2500 ms and once more than 50 writes are acknowledged (at most 60 s): a loaded machine
  // acknowledges fewer per second, and the test is about what survives the kill, not about throughput.
  const started = Date.now();
  while (Date.now() - started < 2500 || (acked.size <= 50 && Date.now() - started < 60_000)) await new Promise((r) => setTimeout(r, 25));
  await server.kill();
  dead = true;
  await Promise.all(clients);
  const sent = next;
  console.log(`fund crash test: ${acked.size} of ${sent} requests acknowledged before SIGKILL`);
  expect(acked.size).toBeGreaterThan(50);
  // Every answer the server gave before dying was a success (no 5xx under load).
  expect(refused).toEqual([]);

  server = await startServer({ persistDir });
  const entries = await ledger(server.url);
  const byId = new Map(entries.map((e) => [e.entryId, e]));
  for (const [i, a] of acked) for (const id of a.entryIds) expect(byId.get(id)?.idempotencyKey, `request ${i}`).toBe(`load-${i}`);

  const fund = (await (await fetch(`${server.url}/v1/markets/${market}/insurance-fund`, { headers: authHeaders() })).json()) as { balance: string; version: number };
  expect(entries.reduce((a, e) => a + scaled(e.amount), 0n)).toBe(scaled(fund.balance));
  expect(fund.version).toBe(entries.length);

  // Retrying every request (acknowledged or not) books each key exactly once.
  for (let i = 0; i < sent; i += 25) {
    const batch = Array.from({ length: Math.min(25, sent - i) }, (_, k) => send(server!.url, i + k));
    for (const res of await Promise.all(batch)) expect(res.status).toBe(201);
  }
  const after = await ledger(server.url);
  const keys = new Map<string, number>();
  for (const e of after) keys.set(e.idempotencyKey, (keys.get(e.idempotencyKey) ?? 0) + 1);
  for (let i = 0; i < sent; i++) expect(keys.get(`load-${i}`), `key load-${i}`).toBe(i % 3 === 0 ? 2 : 1);
  const final = (await (await fetch(`${server.url}/v1/markets/${market}/insurance-fund`, { headers: authHeaders() })).json()) as { balance: string };
  expect(after.reduce((a, e) => a + scaled(e.amount), 0n)).toBe(scaled(final.balance));
}, 120_000);
