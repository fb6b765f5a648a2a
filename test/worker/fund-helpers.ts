/** Shared by the fund and liquidation tests: HTTP calls into the worker with an Idempotency-Key. */
import { exports } from "cloudflare:workers";
import { TEST_KEYS } from "./keys";

let counter = 0;
/** A market id no other test in this file uses (storage is isolated per file, not per test). */
export const uniqueMarket = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}`;

/** As tenant-a with every scope unless `apiKey` says otherwise. */
export function call(method: string, path: string, body?: unknown, key?: string, apiKey: string = TEST_KEYS.tenantA.key) {
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (key !== undefined) headers["idempotency-key"] = key;
  return exports.default.fetch(`http://x${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export async function callJson<T = any>(method: string, path: string, body?: unknown, key?: string, apiKey?: string): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await call(method, path, body, key, apiKey);
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

export const linearMarket = { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT" };

export async function configure(marketId: string, config: Record<string, unknown> = linearMarket) {
  const res = await callJson("PUT", `/v1/markets/${marketId}`, config, `cfg-${marketId}`);
  if (res.status !== 200) throw new Error(`configure failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function deposit(marketId: string, amount: string, key = `dep-${amount}-${counter++}`) {
  return callJson("POST", `/v1/markets/${marketId}/insurance-fund/deposits`, { amount }, key);
}

export async function allLedger(marketId: string, apiKey?: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { entries: any[]; nextCursor: string | null } } = await callJson("GET", `/v1/markets/${marketId}/insurance-fund/ledger?limit=500${cursor ? `&cursor=${cursor}` : ""}`, undefined, undefined, apiKey);
    out.push(...page.body.entries);
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}

/** n opposite-side positions for ADL. */
export function counterparties(n: number, side: "long" | "short", size = "1") {
  return Array.from({ length: n }, (_, i) => ({ accountId: `${side}-${i}`, side, size, entryPrice: String(10_000 + (i % 50) * 10), margin: "1000" }));
}
