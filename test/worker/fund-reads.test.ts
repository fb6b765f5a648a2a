// History buckets against a brute-force replay of the ledger, the ADL alert through a drawdown switch, and the
// stored liquidations (list newest first with stable pages, GET by id byte-identical to the POST), with tenancy.
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import { allLedger, call, callJson, configure, counterparties, deposit, linearMarket, uniqueMarket } from "./fund-helpers";
import { TEST_KEYS } from "./keys";
import { seedLedger, type SeedEntry } from "./ledger-seed";

const B: string = TEST_KEYS.tenantB.key;
const H = 3_600_000;
const T0 = Date.UTC(2026, 9, 1, 0, 0, 0); // every seeded entry lies in the past

/** Bucket by bucket from the ledger alone: balance before each entry = balanceAfter - amount; sums by Decimal. */
function bruteForce(ledger: any[], start: number, end: number, step: number, opening: string) {
  const asc = [...ledger].reverse();
  const out = [];
  let bal = new Decimal(opening);
  for (let s = start; s < end; s += step) {
    const inside = asc.filter((e) => Date.parse(e.createdAt) >= s && Date.parse(e.createdAt) < s + step);
    const open = bal;
    let high = open;
    let low = open;
    let flow = new Decimal(0);
    for (const e of inside) {
      expect(new Decimal(e.balanceAfter).minus(e.amount).eq(bal)).toBe(true);
      bal = new Decimal(e.balanceAfter);
      flow = flow.plus(e.amount);
      high = Decimal.max(high, bal);
      low = Decimal.min(low, bal);
    }
    out.push({ start: new Date(s).toISOString(), open: open.toFixed(), high: high.toFixed(), low: low.toFixed(), close: bal.toFixed(), netFlow: flow.toFixed(), entries: inside.length });
  }
  return out;
}

describe("GET .../insurance-fund/history", () => {
  it("every bucket equals a brute-force replay of the ledger; empty intervals are flat; the last closes at the balance", async () => {
    const m = uniqueMarket("HIST");
    await configure(m);
    const entries: SeedEntry[] = [];
    let bal = 0;
    // Irregular gaps (some hours empty), 8-dp amounts, withdrawals that make lows inside a bucket.
    for (let i = 0, t = T0 + 17_000; i < 600; i++) {
      t += ((i * 7919) % 5) === 0 ? 3 * H + 1234 : 61_000 + ((i * 104_729) % 400_000);
      const dep = i % 3 !== 2 || bal < 100;
      const amount = dep ? `${(i % 50) + 1}.${String((i * 12_345) % 100_000_000).padStart(8, "0")}` : `-${(i % 40) + 1}.00000001`;
      bal += Number(amount);
      entries.push({ kind: dep ? "deposit" : "withdrawal", amount, at: t });
    }
    await seedLedger("tenant-a", m, entries);
    const ledger = await allLedger(m);
    const last = entries.at(-1)!.at;
    const fund = (await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body;

    for (const [interval, step] of [["1m", 60_000], ["1h", H], ["1d", 24 * H]] as const) {
      const from = new Date(T0 + 5 * H + 777).toISOString();
      // 1m: six days (under the 10,000-bucket cap); the others: through the last entry.
      const to = new Date(interval === "1m" ? T0 + 6 * 24 * H : last + 1).toISOString();
      const res = await callJson("GET", `/v1/markets/${m}/insurance-fund/history?interval=${interval}&from=${from}&to=${to}`);
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
      const start = Math.floor(Date.parse(from) / step) * step;
      const end = Math.ceil(Date.parse(to) / step) * step;
      const before = [...ledger].reverse().filter((e) => Date.parse(e.createdAt) < start).at(-1);
      expect(res.body).toMatchObject({ marketId: m, asset: "USDT", interval, from: new Date(start).toISOString(), to: new Date(end).toISOString() });
      expect(res.body.buckets).toEqual(bruteForce(ledger, start, end, step, before?.balanceAfter ?? "0"));
      if (interval !== "1m") expect(res.body.buckets.at(-1).close).toBe(fund.balance);
      expect(res.body.buckets.some((b: any) => b.entries === 0 && b.open === b.close && b.netFlow === "0")).toBe(interval !== "1d");
    }
    // Default range ends now: the last bucket closes at the current balance.
    const now = await callJson("GET", `/v1/markets/${m}/insurance-fund/history?interval=1d`);
    expect(now.body.buckets.at(-1).close).toBe(fund.balance);
  }, 60_000);

  it("refuses bad intervals, ranges and too many buckets (422 naming the parameter); 404 across tenants", async () => {
    const m = uniqueMarket("HIST-bad");
    await configure(m);
    for (const [q, pointer] of [
      ["interval=5m", "#query/interval"],
      ["", "#query/interval"],
      ["interval=1h&from=2026-11-29T10:00:00Z&to=2026-11-29T09:00:00Z", "#query/to"],
      ["interval=1m&from=2000-01-01&to=2026-01-01", "#query/from"],
    ] as const) {
      const res = await callJson("GET", `/v1/markets/${m}/insurance-fund/history?${q}`);
      expect(res.status, q).toBe(422);
      expect(res.body.errors.map((e: any) => e.pointer), q).toContain(pointer);
    }
    // Before the first entry the fund held 0: flat buckets.
    const early = await callJson("GET", `/v1/markets/${m}/insurance-fund/history?interval=1d&from=2026-01-01&to=2026-01-03`);
    expect(early.body.buckets).toEqual(["2026-01-01", "2026-01-02"].map((d) => ({ start: `${d}T00:00:00.000Z`, open: "0", high: "0", low: "0", close: "0", netFlow: "0", entries: 0 })));
    expect((await callJson("GET", `/v1/markets/${m}/insurance-fund/history?interval=1h`, undefined, undefined, B)).status).toBe(404);
  });
});

describe("GET .../adl-alert", () => {
  it("drawdown rule: the figures that decide ADL, exact thresholds, and since = the time of the last switch", async () => {
    const m = uniqueMarket("ALERT");
    await configure(m, { ...linearMarket, fundFloor: "100", adlTrigger: { rule: "drawdown", triggerRatio: "0.3", stopRatio: "0.25" } });
    await deposit(m, "1000");
    const calm = (await callJson("GET", `/v1/markets/${m}/adl-alert`)).body;
    expect(calm).toMatchObject({ rule: "drawdown", adlActive: false, balance: "1000", peakBalance: "1000", drawdownRatio: "0", triggerRatio: "0.3", stopRatio: "0.25", floor: "100", triggerBalance: "700", stopBalance: "750", effectiveFloor: "700", drawCapacity: "300" });
    const beforeSwitch = Date.now();
    const w = await callJson("POST", `/v1/markets/${m}/insurance-fund/withdrawals`, { amount: "333.3" }, "wd-alert");
    expect(w.status).toBe(201);
    const on = (await callJson("GET", `/v1/markets/${m}/adl-alert`)).body;
    expect(on).toMatchObject({ adlActive: true, balance: "666.7", drawdownRatio: "-0.3333", drawCapacity: "0" });
    expect(on.since).toBe(w.body.entry.createdAt);
    expect(Date.parse(on.since)).toBeGreaterThanOrEqual(beforeSwitch - 1000);
    // Still active after a small deposit: since does not move.
    await deposit(m, "10");
    expect((await callJson("GET", `/v1/markets/${m}/adl-alert`)).body).toMatchObject({ adlActive: true, since: on.since, balance: "676.7" });
    const off = await deposit(m, "100");
    const after = (await callJson("GET", `/v1/markets/${m}/adl-alert`)).body;
    expect(after).toMatchObject({ adlActive: false, since: off.body.entry.createdAt });
  });

  it("floor rule: thresholds are the floor; 404 for an unconfigured or another tenant's market", async () => {
    const m = uniqueMarket("ALERT-floor");
    await configure(m, { ...linearMarket, fundFloor: "250" });
    const a = (await callJson("GET", `/v1/markets/${m}/adl-alert`)).body;
    expect(a).toMatchObject({ rule: "floor", adlActive: true, balance: "0", triggerRatio: null, stopRatio: null, triggerBalance: "250", stopBalance: "250", drawCapacity: "0" });
    expect(a.since).not.toBeNull();
    expect((await callJson("GET", `/v1/markets/${m}/adl-alert`, undefined, undefined, B)).status).toBe(404);
    expect((await callJson("GET", `/v1/markets/NOPE-${m}/adl-alert`)).status).toBe(404);
  });
});

describe("liquidations: list and get", () => {
  const body = (i: number) => ({
    markPrice: "9950",
    liquidated: { accountId: `b-${i}`, side: "long", size: "1", entryPrice: "11000", margin: "1000" },
    executions: [{ quantity: "0.5", price: i % 2 ? "10100" : "9900" }],
    counterparties: counterparties(5, "short"),
    method: "bitmex",
  });

  it("GET by id is byte for byte the POST's response; the list is newest first and pages without repeats", async () => {
    const m = uniqueMarket("LIQR");
    await configure(m);
    await deposit(m, "100000");
    const posted: { id: string; text: string }[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await call("POST", `/v1/markets/${m}/liquidations`, body(i), `liq-${i}`);
      expect(res.status).toBe(201);
      const text = await res.text();
      posted.push({ id: JSON.parse(text).liquidationId, text });
    }
    for (const p of posted) {
      const res = await call("GET", `/v1/markets/${m}/liquidations/${p.id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(await res.text()).toBe(p.text);
    }
    const expectedOrder = posted
      .map((p) => JSON.parse(p.text))
      .sort((a, b) => (a.createdAt === b.createdAt ? (a.liquidationId < b.liquidationId ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1))
      .map((r) => r.liquidationId);
    for (const limit of [1, 3, 50]) {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await callJson("GET", `/v1/markets/${m}/liquidations?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
        expect(page.status).toBe(200);
        ids.push(...page.body.liquidations.map((l: any) => l.liquidationId));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(ids).toEqual(expectedOrder);
    }
    const first = (await callJson("GET", `/v1/markets/${m}/liquidations?limit=1`)).body.liquidations[0];
    const full = JSON.parse(posted.find((p) => p.id === first.liquidationId)!.text);
    expect(first).toMatchObject({ bankruptcyPrice: full.bankruptcyPrice, adlQuantity: full.adl.quantity, fund: { balanceAfter: full.fund.balanceAfter }, ledgerEntryIds: full.ledgerEntries.map((e: any) => e.entryId) });

    // Tenancy and refusals.
    expect((await callJson("GET", `/v1/markets/${m}/liquidations/${posted[0]!.id}`, undefined, undefined, B)).status).toBe(404);
    expect((await callJson("GET", `/v1/markets/${m}/liquidations`, undefined, undefined, B)).status).toBe(404);
    expect((await callJson("GET", `/v1/markets/${m}/liquidations/liq_00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    const badId = await callJson("GET", `/v1/markets/${m}/liquidations/not-an-id`);
    expect([badId.status, badId.body.errors[0].pointer]).toEqual([422, "#param/liquidationId"]);
    const badCursor = await callJson("GET", `/v1/markets/${m}/liquidations?cursor=x`);
    expect([badCursor.status, badCursor.body.errors[0].pointer]).toEqual([422, "#query/cursor"]);
  }, 60_000);
});
