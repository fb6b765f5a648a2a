// The ledger read API through the real app: kind and time filters against a brute-force filter of the whole
// ledger, cursor pages that neither repeat nor skip, the streamed CSV export (RFC 4180 quoting, exact decimals, several
// internal pages), the indexes the filters use, and the refusals (422 naming the parameter, 404 across tenants).
import { runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { FUND_STATEMENTS, FundStore } from "../../src/durable-objects/fund-store";
import type { MarketFund } from "../../src/durable-objects/market-fund";
import { EXPORT_PAGE } from "../../src/http/routes/ledger";
import { allLedger, callJson, configure, uniqueMarket } from "./fund-helpers";
import { TEST_KEYS, authHeader } from "./keys";
import { type SeedEntry, fundObject, seedLedger } from "./ledger-seed";

const T0 = Date.UTC(2026, 10, 29, 0, 0, 0);
const KINDS = ["deposit", "withdrawal", "liquidation_credit", "liquidation_draw"] as const;
const iso = (ms: number) => new Date(ms).toISOString();

/** Deterministic entries every 37 s over ~2 days; amounts keep the balance positive, with 8-dp and tricky references. */
function entries(n: number): SeedEntry[] {
  const out: SeedEntry[] = [];
  for (let i = 0; i < n; i++) {
    const kind = KINDS[(i * 7 + (i >> 3)) % 4]!;
    const credit = kind === "deposit" || kind === "liquidation_credit";
    const amount = credit ? `${100 + (i % 13)}.${String(i % 100_000_000).padStart(8, "0")}` : `-${(i % 29) + 1}.5`;
    const references = [null, "plain", 'he said "hi"', "a, b", "line1\nline2", "cr\r\nlf", " spaced "];
    out.push({ kind, amount, at: T0 + i * 37_000, reference: references[i % references.length] ?? null });
  }
  return out;
}

async function pages(m: string, query: string, limit: number, start: string | null = null): Promise<{ sequence: number; kind: string; createdAt: string }[]> {
  const out: { sequence: number; kind: string; createdAt: string }[] = [];
  let cursor: string | null = start;
  for (let guard = 0; guard < 10_000; guard++) {
    const res: { status: number; body: { entries: any[]; nextCursor: string | null } } = await callJson(
      "GET",
      `/v1/markets/${m}/insurance-fund/ledger?limit=${limit}${query ? `&${query}` : ""}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.entries.length).toBeLessThanOrEqual(limit);
    out.push(...res.body.entries);
    cursor = res.body.nextCursor;
    if (!cursor) break;
  }
  return out;
}

/** RFC 4180 parser (quoted fields with doubled quotes and embedded CR/LF; records end in CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (ch === '"') (quoted = false), i++;
      else (field += ch), i++;
    } else if (ch === '"' && field === "") (quoted = true), i++;
    else if (ch === ",") row.push(field), (field = ""), i++;
    else if (ch === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), (i += 2);
    else if (ch === "\n" || ch === "\r") throw new Error(`bare line break outside quotes at ${i}`);
    else (field += ch), i++;
  }
  if (field !== "" || row.length > 0) throw new Error("last record does not end in CRLF");
  return rows;
}

const csv = (m: string, query = "", key: string = TEST_KEYS.tenantA.key, accept = "text/csv") =>
  exports.default.fetch(`http://x/v1/markets/${m}/insurance-fund/ledger${query ? `?${query}` : ""}`, { headers: { ...authHeader(key), accept } });

describe("ledger filters", () => {
  const m = uniqueMarket("LF");
  const seeded = entries(900);
  let all: any[];

  beforeAll(async () => {
    await configure(m);
    await seedLedger("tenant-a", m, seeded);
    all = await allLedger(m);
    expect(all).toHaveLength(900);
  });

  it("kind: one kind or several, newest first, equal to filtering the whole ledger, across pages", async () => {
    for (const kinds of [["withdrawal"], ["liquidation_credit", "deposit"], ["deposit", "withdrawal", "liquidation_draw"], [...KINDS]]) {
      const expected = all.filter((e) => kinds.includes(e.kind)).map((e) => e.sequence);
      for (const limit of [1, 7, 500]) {
        if (limit === 1 && expected.length > 120) continue;
        const got = (await pages(m, `kind=${kinds.join(",")}`, limit)).map((e) => e.sequence);
        expect(got, `${kinds} limit ${limit}`).toEqual(expected);
      }
    }
  }, 60_000);

  it("from (inclusive) and to (exclusive) bound createdAt; combined with kind and cursor", async () => {
    const cases: [number, number | null][] = [
      [T0 + 100 * 37_000, T0 + 200 * 37_000], // exact entry times: from includes, to excludes
      [T0 + 100 * 37_000 + 1, T0 + 200 * 37_000 + 1],
      [T0 - 86_400_000, T0 + 5 * 37_000],
      [T0 + 899 * 37_000, null],
      [T0 + 10_000 * 37_000, null], // after the last entry: empty
    ];
    for (const [from, to] of cases) {
      const q = `from=${iso(from)}${to === null ? "" : `&to=${iso(to)}`}`;
      const inRange = (e: any) => Date.parse(e.createdAt) >= from && (to === null || Date.parse(e.createdAt) < to);
      expect((await pages(m, q, 40)).map((e) => e.sequence), q).toEqual(all.filter(inRange).map((e) => e.sequence));
      const k = `${q}&kind=liquidation_draw,withdrawal`;
      expect((await pages(m, k, 9)).map((e) => e.sequence), k).toEqual(all.filter((e) => inRange(e) && ["liquidation_draw", "withdrawal"].includes(e.kind)).map((e) => e.sequence));
    }
    // A date alone is UTC midnight; an offset is honoured.
    const day = await pages(m, "from=2026-11-30", 500);
    expect(day.map((e) => e.sequence)).toEqual(all.filter((e) => Date.parse(e.createdAt) >= Date.UTC(2026, 10, 30)).map((e) => e.sequence));
    const offset = await pages(m, `to=${encodeURIComponent("2026-11-29T02:00:00+02:00")}`, 500);
    expect(offset.map((e) => e.sequence)).toEqual(all.filter((e) => Date.parse(e.createdAt) < T0).map((e) => e.sequence));
  }, 60_000);

  it("a page boundary is stable while new entries are booked: no repeats, no gaps", async () => {
    const first: { status: number; body: { entries: any[]; nextCursor: string } } = await callJson("GET", `/v1/markets/${m}/insurance-fund/ledger?limit=100&kind=deposit`);
    await seedLedger("tenant-a", m, [{ kind: "deposit", amount: "1", at: T0 + 901 * 37_000 }]);
    const rest = await pages(m, "kind=deposit", 100, first.body.nextCursor);
    const seen = [...first.body.entries, ...rest].map((e) => e.sequence);
    expect(seen).toEqual(all.filter((e) => e.kind === "deposit").map((e) => e.sequence));
  });

  it("entry times never decrease along the sequence: a clock step back stamps the previous entry's time", async () => {
    const x = uniqueMarket("LF-clock");
    await configure(x);
    await seedLedger("tenant-a", x, [
      { kind: "deposit", amount: "10", at: T0 + 60_000 },
      { kind: "deposit", amount: "5", at: T0 },
    ]);
    const [newest, oldest] = await allLedger(x);
    expect([oldest.createdAt, newest.createdAt]).toEqual([iso(T0 + 60_000), iso(T0 + 60_000)]);
  });

  it("the filters read through the ledger indexes, never a scan of the table", async () => {
    await runInDurableObject(fundObject("tenant-a", m), (_i, state) => {
      const plan = (q: string, ...args: unknown[]) =>
        state.storage.sql
          .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${q}`, ...args)
          .toArray()
          .map((r) => r.detail)
          .join("; ");
      const Q = FUND_STATEMENTS;
      expect(plan(Q.entriesOfKindIn, "deposit", 1, 1e9, 10)).toMatch(/SEARCH ledger USING (COVERING )?INDEX ledger_by_kind \(kind=\? AND seq>\? AND seq<\?\)/);
      expect(plan(Q.firstSeqAtOrAfter, T0)).toMatch(/SEARCH ledger USING (COVERING )?INDEX ledger_by_time/);
      expect(plan(Q.lastSeqBefore, T0)).toMatch(/SEARCH ledger USING (COVERING )?INDEX ledger_by_time/);
      expect(plan(Q.entriesIn, 1, 1e9, 10)).toMatch(/SEARCH ledger USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
    });
  });

  it("a page deep in the ledger reads about a page of rows, not the rows above its cursor", async () => {
    await runInDurableObject(fundObject("tenant-a", m), (_i, state) => {
      // The store over a recording SqlStorage: every cursor it opens, to sum the rows SQLite read for one call.
      const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
      const sql = state.storage.sql;
      const recording = { exec: (q: string, ...args: unknown[]) => { const c = sql.exec(q, ...args); cursors.push(c); return c; } } as unknown as SqlStorage;
      const store = new FundStore(recording);
      const rowsRead = (call: () => unknown[]) => {
        cursors.length = 0;
        const got = call();
        return { got: got.length, read: cursors.reduce((n, c) => n + c.rowsRead, 0) };
      };
      // 900 entries; cursor 31 (the oldest 30 remain): the unbounded-above form read ~870 rows above the cursor.
      expect(rowsRead(() => store.entriesIn(31, 1, Number.MAX_SAFE_INTEGER, 11, null))).toEqual({ got: 11, read: 11 });
      const deep = rowsRead(() => store.entriesIn(31, 1, Number.MAX_SAFE_INTEGER, 11, "withdrawal"));
      expect(deep.got).toBeGreaterThan(0);
      expect(deep.read).toBeLessThanOrEqual(deep.got + 1);
      // A time range bound as well: still one index range.
      const lo = store.firstSeqAtOrAfter(T0 + 5 * 37_000)!;
      expect(rowsRead(() => store.entriesIn(31, lo, 600, 11, null))).toEqual({ got: 11, read: 11 });
    });
  });

  it("bad filters are 422 problems naming the parameter; nothing about the ledger leaks", async () => {
    for (const [query, pointer] of [
      ["kind=bogus", "#query/kind"],
      ["kind=deposit,", "#query/kind"],
      ["from=2026-02-30", "#query/from"],
      ["from=2026-11-29T10:00:00", "#query/from"],
      ["to=yesterday", "#query/to"],
      [`from=${iso(T0 + 1000)}&to=${iso(T0)}`, "#query/to"],
      [`from=${iso(T0)}&to=${iso(T0)}`, "#query/to"],
    ] as const) {
      const res = await callJson("GET", `/v1/markets/${m}/insurance-fund/ledger?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer), query).toContain(pointer);
      const asCsv = await csv(m, query);
      expect(asCsv.status).toBe(422);
      expect(asCsv.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});

describe("ledger CSV export", () => {
  const m = uniqueMarket("CSV");
  const n = EXPORT_PAGE * 2 + 345; // several internal pages
  let all: any[];

  beforeAll(async () => {
    await configure(m);
    await seedLedger("tenant-a", m, entries(n));
    all = await allLedger(m);
  });

  it("Accept: text/csv streams a header row and one row per entry, exact text, RFC 4180 quoting, newest first", async () => {
    const res = await csv(m);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${m}-ledger.csv"`);
    const text = await res.text();
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(["sequence", "entryId", "createdAt", "kind", "amount", "balanceAfter", "liquidationId", "reference", "idempotencyKey", "requestDigest"]);
    expect(rows).toHaveLength(n + 1);
    const fromJson = all.map((e) => [String(e.sequence), e.entryId, e.createdAt, e.kind, e.amount, e.balanceAfter, e.liquidationId ?? "", e.reference ?? "", e.idempotencyKey, e.requestDigest]);
    expect(rows.slice(1)).toEqual(fromJson);
    // The quoting itself, on known values.
    expect(text).toContain(',"he said ""hi""",');
    expect(text).toContain(',"a, b",');
    expect(text).toContain(',"line1\nline2",');
    expect(text).toContain(',"cr\r\nlf",');
    expect(text).toContain(", spaced ,");
    expect(text).not.toMatch(/\de[+-]?\d/); // no exponent notation anywhere
  });

  it("the export is a stream of several chunks, filters and cursor apply, limit does not", async () => {
    const res = await csv(m, "limit=5");
    const reader = res.body!.getReader();
    let chunks = 0;
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      bytes += value.byteLength;
    }
    expect(chunks).toBeGreaterThanOrEqual(3);
    expect(bytes).toBeGreaterThan(0);

    const cursor = all[100].sequence;
    const q = `kind=withdrawal&from=${iso(T0 + 50 * 37_000)}&cursor=${cursor}`;
    const rows = parseCsv(await (await csv(m, q)).text()).slice(1);
    expect(rows.map((r) => Number(r[0]))).toEqual(
      all.filter((e) => e.kind === "withdrawal" && e.sequence < cursor && Date.parse(e.createdAt) >= T0 + 50 * 37_000).map((e) => e.sequence),
    );
  });

  it("the export reads the ledger from the market object one page at a time, as the client reads, and stops when it cancels", async () => {
    const big = uniqueMarket("CSV-lazy");
    const pagesOfExport = 6;
    await configure(big);
    await seedLedger("tenant-a", big, entries(EXPORT_PAGE * pagesOfExport - 1));
    // Count the object's ledger() calls: RPC dispatches to the class's methods, so wrap the prototype's for this test.
    const calls: number[] = [];
    const proto = await runInDurableObject(fundObject("tenant-a", big), (instance) => Object.getPrototypeOf(instance) as MarketFund);
    const original = proto.ledger;
    proto.ledger = function (this: MarketFund, ...args: Parameters<MarketFund["ledger"]>) {
      calls.push(args[1]);
      return original.apply(this, args);
    };
    try {
      const res = await csv(big);
      const reader = res.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      // The first bytes came after the first page or two (the stream fetches at most one page ahead, plus what the
      // runtime's pipe buffers), not after the whole ledger; every call asks for one EXPORT_PAGE.
      expect(calls.length).toBeGreaterThanOrEqual(1);
      expect(calls.length).toBeLessThan(pagesOfExport);
      expect(calls.every((l) => l === EXPORT_PAGE)).toBe(true);
      await reader.cancel();
      await new Promise((r) => setTimeout(r, 100));
      const afterCancel = calls.length;
      expect(afterCancel).toBeLessThan(pagesOfExport);
      await new Promise((r) => setTimeout(r, 100));
      expect(calls.length).toBe(afterCancel);

      calls.length = 0;
      const rows = parseCsv(await (await csv(big)).text());
      expect(rows).toHaveLength(EXPORT_PAGE * pagesOfExport);
      expect(calls).toEqual(Array(pagesOfExport).fill(EXPORT_PAGE));
    } finally {
      proto.ledger = original;
    }
  }, 60_000);

  it("content negotiation: JSON unless text/csv is asked for and not ranked below application/json", async () => {
    for (const [accept, type] of [
      ["text/csv", "text/csv"],
      ["text/csv;q=0.9, application/json;q=0.5", "text/csv"],
      ["application/json, text/csv;q=0.5", "application/json"],
      ["*/*", "application/json"],
      ["text/csv;q=0", "application/json"],
      ["", "application/json"],
    ] as const) {
      const res = await csv(m, "limit=1", TEST_KEYS.tenantA.key, accept);
      expect(res.headers.get("content-type"), accept).toContain(type);
      await res.body?.cancel();
    }
  });

  it("another tenant's market is a 404 problem, not an empty export; an empty ledger is just the header", async () => {
    const other = await csv(m, "", TEST_KEYS.tenantB.key);
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toContain("application/problem+json");
    const json = await callJson("GET", `/v1/markets/${m}/insurance-fund/ledger`, undefined, undefined, TEST_KEYS.tenantB.key);
    expect(json.status).toBe(404);
    const empty = uniqueMarket("CSV-empty");
    await configure(empty);
    expect(await (await csv(empty)).text()).toBe("sequence,entryId,createdAt,kind,amount,balanceAfter,liquidationId,reference,idempotencyKey,requestDigest\r\n");
  });
});
