/**
 * The read APIs at scale, inside workerd (run by bench/read-scale.mjs through vitest.bench.config.ts; not part of
 * `npm test`). Seeds a tenant's directory with 10,000 markets and one market's ledger with 1,000,000 entries through
 * the store modules (DirectoryStore.register and FundStore.append, the statements the routes' writes use), then
 * reads them back through the Worker's fetch handler as the runtime calls it: every market page, every ledger page,
 * a kind filter and a from/to filter paged to the end, and the whole CSV export read as a stream.
 *
 * Each phase prints one `READSCALE {json}` line with its wall-clock start and end (epoch ms, the clock the sampler in
 * bench/read-scale.mjs reads too) and what it counted; every count is checked against what was seeded, so a fast
 * wrong answer fails the run instead of printing a figure.
 */
import { createExecutionContext, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import { directoryStub } from "../../src/durable-objects/directory-rpc";
import { DirectoryStore } from "../../src/durable-objects/directory-store";
import type { LedgerKind, MarketView } from "../../src/durable-objects/fund-rpc";
import { FundStore } from "../../src/durable-objects/fund-store";
import type { MarketFund } from "../../src/durable-objects/market-fund";
import type { TenantDirectory } from "../../src/durable-objects/tenant-directory";
import type { Bindings } from "../../src/env";
import worker from "../../src/index";
import { TEST_KEYS } from "../../test/worker/keys";

const bindings = env as unknown as Bindings;
// Smaller sizes for a quick try of the script itself (READSCALE_MARKETS / READSCALE_ENTRIES, see vitest.bench.config.ts).
const sizes = env as unknown as { READSCALE_MARKETS?: string; READSCALE_ENTRIES?: string };
const MARKETS = Number(sizes.READSCALE_MARKETS || 10_000);
const ENTRIES = Number(sizes.READSCALE_ENTRIES || 1_000_000);
// READSCALE_EXPORT_FIRST=1: the export before any JSON paging, so its memory is measured on a process that has not
// parsed a million JSON entries.
const EXPORT_FIRST = (env as unknown as { READSCALE_EXPORT_FIRST?: string }).READSCALE_EXPORT_FIRST === "1";
const SEED_CHUNK = 20_000;
const PAGE = 500; // the largest page the list routes accept
const T0 = Date.UTC(2026, 0, 1);
const STEP_MS = 1_000; // one entry a second: 1,000,000 entries span 11.6 days
const LEDGER_TENANT = TEST_KEYS.tenantA;
const MARKET_TENANT = TEST_KEYS.tenantB;
const FUND_MARKET = "BENCH-LEDGER";

function mark(phase: string, start: number, extra: Record<string, unknown> = {}) {
  console.log(`READSCALE ${JSON.stringify({ phase, start, end: Date.now(), ...extra })}`);
}

/** Deterministic kinds: 1% withdrawals (the rare-kind filter), the rest split between deposits and fills. */
function kindOf(i: number): LedgerKind {
  if (i === 0) return "deposit";
  if (i % 100 === 0) return "withdrawal";
  return (["deposit", "liquidation_credit", "liquidation_draw"] as const)[i % 3]!;
}
function amountOf(i: number): string {
  if (i === 0) return "10000000";
  switch (kindOf(i)) {
    case "deposit":
      return `${1 + (i % 7)}.${String(i % 100_000_000).padStart(8, "0")}`;
    case "liquidation_credit":
      return `0.${String(i % 1000).padStart(3, "0")}25`;
    case "liquidation_draw":
      return `-${(i % 5) + 1}.5`;
    default:
      return "-12.345";
  }
}
/** Mostly empty; every 1,000th carries a comma and a quote, so the export quotes fields (RFC 4180) as it goes. */
const referenceOf = (i: number) => (i % 1000 === 7 ? `batch "${i}", part 1` : null);

/**
 * The Worker's fetch handler called directly, as the runtime calls it (the Durable Objects behind it are the real
 * ones). Not `exports.default.fetch`: through the test pool's loopback each request costs more than the one before
 * (measured: 8 ms per request at the start, 220 ms after 500; the handler itself stays at 0.1 ms), which would time
 * the harness, not the service, over 2,000+ requests.
 */
function call(path: string, init: RequestInit) {
  return worker.fetch(new Request(`http://bench${path}`, init), bindings, createExecutionContext());
}
async function get(path: string, key: string, accept = "application/json") {
  return call(path, { headers: { authorization: `Bearer ${key}`, accept } });
}

/**
 * Follows nextCursor to the end; `visit` checks each page's items as they come (nothing is accumulated, so the
 * reader's own memory stays flat and the sampled figure is the service's).
 */
async function pageAll(pathFor: (cursor: string | null) => string, key: string, visit: (body: any) => void) {
  const latencies: number[] = [];
  let cursor: string | null = null;
  do {
    const t = Date.now();
    const res = await get(pathFor(cursor), key);
    const body: any = await res.json();
    latencies.push(Date.now() - t);
    if (res.status !== 200) throw new Error(`${pathFor(cursor)}: ${res.status} ${JSON.stringify(body)}`);
    visit(body);
    cursor = body.nextCursor;
  } while (cursor);
  return latencies;
}

/** Checks that sequences arrive strictly descending, each passing `keep`, and counts them. */
function sequenceCheck(keep: (seq: number) => boolean) {
  const c = { rows: 0, first: null as number | null, last: null as number | null, ok: true };
  const visit = (body: { entries: { sequence: number }[] }) => {
    for (const { sequence } of body.entries) {
      if ((c.last !== null && sequence >= c.last) || !keep(sequence)) c.ok = false;
      c.first ??= sequence;
      c.last = sequence;
      c.rows++;
    }
  };
  return { c, visit };
}

function spread(latencies: number[]) {
  const s = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
  // First and last tenth of the pages: a keyset page should cost the same at the end of the ledger as at its start.
  const tenth = Math.max(1, Math.floor(latencies.length / 10));
  return { pages: latencies.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1], firstTenthMean: mean(latencies.slice(0, tenth)), lastTenthMean: mean(latencies.slice(-tenth)) };
}

it("10,000 markets page by page; a 1,000,000-entry ledger paged, filtered and exported", async () => {
  // --- the directory of a tenant with MARKETS markets, through the store module -------------------------------
  let t = Date.now();
  const configured = await (
    await call(`/v1/markets/${FUND_MARKET}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${LEDGER_TENANT.key}`, "content-type": "application/json", "idempotency-key": "bench-cfg" },
      body: JSON.stringify({ contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT" }),
    })
  ).json<MarketView>();
  expect(configured.marketId).toBe(FUND_MARKET);
  const directory = directoryStub(bindings, MARKET_TENANT.tenant) as unknown as DurableObjectStub<TenantDirectory>;
  const marketId = (i: number) => `BENCH-${String(i).padStart(5, "0")}-USDT`;
  for (let from = 0; from < MARKETS; from += SEED_CHUNK) {
    await runInDurableObject(directory, (_instance, state) => {
      const store = new DirectoryStore(state.storage.sql);
      state.storage.transactionSync(() => {
        for (let i = from; i < Math.min(MARKETS, from + SEED_CHUNK); i++) store.register({ ...configured, marketId: marketId(i) }, T0 + i);
      });
    });
  }
  mark("seed-markets", t, { markets: MARKETS });

  t = Date.now();
  let listed = 0;
  let inOrder = true;
  const marketPages = await pageAll((c) => `/v1/markets?limit=${PAGE}${c ? `&cursor=${c}` : ""}`, MARKET_TENANT.key, (b: { markets: MarketView[] }) => {
    for (const m of b.markets) if (m.marketId !== marketId(listed++)) inOrder = false;
  });
  expect(listed).toBe(MARKETS);
  expect(inOrder).toBe(true);
  mark("list-markets", t, { rows: listed, ...spread(marketPages) });

  // --- one market's ledger of ENTRIES entries, through FundStore.append ----------------------------------------
  t = Date.now();
  const ns = bindings.MARKET_FUND;
  const fund = ns.get(ns.idFromName(`${LEDGER_TENANT.tenant}:${FUND_MARKET}`)) as DurableObjectStub<MarketFund>;
  for (let from = 0; from < ENTRIES; from += SEED_CHUNK) {
    await runInDurableObject(fund, (instance, state) => {
      const store = new FundStore(state.storage.sql);
      state.storage.transactionSync(() => {
        const row = store.fund();
        let balance = new Decimal(row?.balance ?? "0");
        let version = row?.version ?? 0;
        const to = Math.min(ENTRIES, from + SEED_CHUNK);
        for (let i = from; i < to; i++) {
          const amount = new Decimal(amountOf(i));
          balance = balance.plus(amount);
          store.append({ kind: kindOf(i), amount, balanceAfter: balance, idempotencyKey: `seed-${i}`, requestDigest: "seed", liquidationId: null, reference: referenceOf(i), now: T0 + i * STEP_MS });
          version++;
        }
        store.putFund(balance, false, version, T0 + (to - 1) * STEP_MS);
      });
      // The object caches its fund state; re-read it from storage.
      (instance as unknown as { load(): void }).load();
    });
  }
  mark("seed-ledger", t, { entries: ENTRIES });

  const ledger = `/v1/markets/${FUND_MARKET}/insurance-fund/ledger`;

  // --- the whole export, read as a stream: count records and bytes, keep nothing but the last bytes ---------------
  const exportAll = async () => {
    const t = Date.now();
    const res = await get(ledger, LEDGER_TENANT.key, "text/csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const reader = res.body!.getReader();
    let firstByte: number | null = null;
    let bytes = 0;
    let lineFeeds = 0;
    let chunks = 0;
    let largestChunk = 0;
    let head = "";
    let tail = new Uint8Array(0);
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      firstByte ??= Date.now() - t;
      chunks++;
      bytes += value.byteLength;
      largestChunk = Math.max(largestChunk, value.byteLength);
      if (head.length < 200) head += decoder.decode(value.subarray(0, 200));
      // Only a record's CRLF holds a line feed: the references carry commas and quotes, never line breaks.
      for (let i = 0; i < value.length; i++) if (value[i] === 10) lineFeeds++;
      tail = value.subarray(Math.max(0, value.length - 200));
    }
    const lastRecord = decoder.decode(tail).split("\r\n").at(-2) ?? "";
    expect(head.startsWith("sequence,entryId,createdAt,kind,amount,balanceAfter,")).toBe(true);
    expect(lineFeeds).toBe(ENTRIES + 1);
    expect(lastRecord.startsWith("1,1,")).toBe(true);
    mark("csv-export", t, { rows: lineFeeds - 1, bytes, chunks, largestChunk, firstByteMs: firstByte });
  };
  if (EXPORT_FIRST) await exportAll();

  t = Date.now();
  const all = sequenceCheck(() => true);
  const allPages = await pageAll((c) => `${ledger}?limit=${PAGE}${c ? `&cursor=${c}` : ""}`, LEDGER_TENANT.key, all.visit);
  expect(all.c).toEqual({ rows: ENTRIES, first: ENTRIES, last: 1, ok: true });
  mark("ledger-pages", t, { rows: all.c.rows, ...spread(allPages) });

  // Sequence s is entry i = s - 1.
  let withdrawals = 0;
  for (let i = 0; i < ENTRIES; i++) if (kindOf(i) === "withdrawal") withdrawals++;
  t = Date.now();
  const rare = sequenceCheck((s) => kindOf(s - 1) === "withdrawal");
  const rarePages = await pageAll((c) => `${ledger}?limit=${PAGE}&kind=withdrawal${c ? `&cursor=${c}` : ""}`, LEDGER_TENANT.key, rare.visit);
  expect(rare.c.rows).toBe(withdrawals);
  expect(rare.c.ok).toBe(true);
  mark("kind-filter", t, { filter: "kind=withdrawal", rows: rare.c.rows, ...spread(rarePages) });

  // One day in the middle of the ledger: [T0 + 5 d, T0 + 6 d), i.e. entries 432,000..518,399 (seq = i + 1).
  const dayFrom = T0 + 5 * 86_400_000;
  const dayTo = dayFrom + 86_400_000;
  const range = `from=${new Date(dayFrom).toISOString()}&to=${new Date(dayTo).toISOString()}`;
  t = Date.now();
  // Entry i is at T0 + i s: the day holds i in [lo, hi), sequences lo + 1 .. hi.
  const lo = (dayFrom - T0) / STEP_MS;
  const hi = Math.min(ENTRIES, (dayTo - T0) / STEP_MS);
  const day = sequenceCheck((s) => s > lo && s <= hi);
  const dayPages = await pageAll((c) => `${ledger}?limit=${PAGE}&${range}${c ? `&cursor=${c}` : ""}`, LEDGER_TENANT.key, day.visit);
  expect(day.c.rows).toBe(Math.max(0, hi - lo));
  expect(day.c.ok).toBe(true);
  if (hi > lo) expect([day.c.first, day.c.last]).toEqual([hi, lo + 1]);
  mark("time-filter", t, { filter: range, rows: day.c.rows, ...spread(dayPages) });

  if (!EXPORT_FIRST) await exportAll();
});
