/**
 * A batch validated once: compare's queue candidates (after parseCounterparties) and the stress lab (whose book
 * parsed every position) prepare their ranking keys with prepareCheckedBatch (src/domain/ranking/rank.ts), which
 * skips the batch rules that read the strings (spec/batch.ts BatchRules "checked") and keeps the refusals only the
 * keys find (an inverse short without a bankruptcy price; random without a seed). Proven here against the old
 * composition, prepareBatch, on random and hostile input (wrong side, duplicate accounts, "-0", 41 significant
 * digits, off the lot or tick grid, inverse shorts whose margin covers every move):
 *   - on every batch that parsePosition accepts position by position with accounts distinct per side,
 *     prepareCheckedBatch gives prepareBatch's keys and queues, or prepareBatch's refusal, issue for issue;
 *   - comparePolicies and the stress lab's run, loaded once as they are and once with prepareCheckedBatch replaced
 *     by prepareBatch (the old composition, kept here by mocking the module), give the same JSON or the same refusal.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { parseMarket, type ParsedMarket } from "../../src/domain/market";
import { DECIMAL_MAX_LENGTH, EDGE_DECIMAL_RE, EDGE_POSITIVE_RE, UNSIGNED_DECIMAL_MAX_LENGTH } from "../../src/domain/num/decimal-syntax";
import { parsePosition } from "../../src/domain/parsed-position";
import { type PreparedBatch, prepareBatch, prepareCheckedBatch, sideQueue } from "../../src/domain/ranking/rank";
import { RANKING_METHODS } from "../../src/domain/ranking/spec/methods";
import { COMPARE_CANDIDATES } from "../../src/domain/policies/compare";
import type { PositionInput, Side } from "../../src/domain/types";
import { decimalTextArb, fromUnits } from "./arbitraries";

const RANK = "../../src/domain/ranking/rank";
type RankModule = typeof import("../../src/domain/ranking/rank");

/** The modules as they are, and as they were (prepareCheckedBatch = prepareBatch), each its own module graph. */
async function load() {
  vi.resetModules();
  const now = { compare: await import("../../src/domain/policies/compare"), simulation: await import("../../src/domain/simulation"), rank: (await import("../../src/domain/ranking/rank")) as RankModule };
  vi.resetModules();
  vi.doMock(RANK, async (importOriginal) => {
    const m = await importOriginal<RankModule>();
    return { ...m, prepareCheckedBatch: m.prepareBatch };
  });
  const old = { compare: await import("../../src/domain/policies/compare"), simulation: await import("../../src/domain/simulation"), rank: (await import("../../src/domain/ranking/rank")) as RankModule };
  vi.doUnmock(RANK);
  vi.resetModules();
  // The old graph runs prepareBatch where the new one runs prepareCheckedBatch.
  expect(old.rank.prepareCheckedBatch).toBe(old.rank.prepareBatch);
  expect(now.rank.prepareCheckedBatch).not.toBe(now.rank.prepareBatch);
  return { now, old };
}

/** A result as JSON, or a refusal (any module graph's DomainError) as its issues. */
function outcome(fn: () => unknown): string {
  try {
    return JSON.stringify({ ok: fn() });
  } catch (e) {
    const issues = (e as { issues?: unknown }).issues;
    if (e instanceof Error && Array.isArray(issues)) return JSON.stringify({ refused: e.constructor.name, issues });
    throw e;
  }
}

const marketInputArb = fc.record({
  contractType: fc.constantFrom("linear" as const, "inverse" as const),
  contractSize: fc.constantFrom("1", "0.001", "100"),
  lotSize: fc.constantFrom("1", "0.1", "0.001", "5", "0.25"),
  tickSize: fc.constantFrom("0.5", "0.01", "1", "0.00000001"),
});

const wirePositive = (s: unknown): s is string => typeof s === "string" && s.length <= UNSIGNED_DECIMAL_MAX_LENGTH && EDGE_POSITIVE_RE.test(s);
const wireSigned = (s: unknown): s is string => typeof s === "string" && s.length <= DECIMAL_MAX_LENGTH && EDGE_DECIMAL_RE.test(s);
/** Hostile decimal text the wire rule lets through (the only kind that reaches the domain). */
const hostilePositive = decimalTextArb.filter(wirePositive) as fc.Arbitrary<string>;
const hostileSigned = fc.oneof(decimalTextArb.filter(wireSigned) as fc.Arbitrary<string>, fc.constantFrom("-0", "-0.00", "0", "0.0"));
const sometimes = <T>(hostile: fc.Arbitrary<T>, weight = 6) => fc.oneof({ weight, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostile });
const rare = (weight: number) => fc.oneof({ weight, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

const rowArb = fc.record({
  duplicate: rare(12),
  wrongSide: rare(12),
  lots: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 1000 }) }, { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 10n ** 39n }) }),
  offLot: rare(15),
  size: sometimes(hostilePositive, 12),
  entryUnits: fc.bigInt({ min: 1n, max: 10n ** 9n }),
  entryDp: fc.integer({ min: 0, max: 8 }),
  offTick: rare(12),
  entryTrailingZeros: fc.nat({ max: 2 }),
  entry: sometimes(hostilePositive, 12),
  marginUnits: fc.bigInt({ min: 1n, max: 10n ** 12n }),
  /** Margin of at least the position's value: an inverse short without a bankruptcy price (a linear long without one). */
  coversEveryMove: rare(5),
  margin: sometimes(hostilePositive, 12),
  accountValue: fc.option(fc.oneof({ weight: 6, arbitrary: fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }).map((u) => fromUnits(u, 8)) }, { weight: 1, arbitrary: hostileSigned }), { nil: undefined }),
});
type Row = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

function position(market: ParsedMarket, r: Row, i: number, side: Side): PositionInput {
  const dp = r.offTick ? market.tickDecimals + 1 : Math.min(r.entryDp, market.tickDecimals);
  const units = r.offTick ? r.entryUnits * 10n + 1n : r.entryUnits;
  const written = fromUnits(units, dp);
  const entry = r.entry ?? (written.includes(".") ? `${written}${"0".repeat(r.entryTrailingZeros)}` : written);
  const lotSize = market.lotSize.times(r.lots.toString());
  const size = r.size ?? (r.offLot ? lotSize.plus(market.lotSize.div(3).toDecimalPlaces(6)).toFixed() : lotSize.toFixed());
  // Inverse: value Q*K/E; linear: Q*K*E. Twice that, on the 8-decimal grid, when the margin covers every move.
  const value = market.contractType === "inverse" ? lotSize.times(market.contractSize).div(entry) : lotSize.times(market.contractSize).times(entry);
  const covering = value.times(2).toDecimalPlaces(8, 0).toFixed();
  const p: PositionInput = {
    accountId: r.duplicate && i > 0 ? "acct-0" : `acct-${i}`,
    side: r.wrongSide ? (side === "long" ? "short" : "long") : side,
    size,
    entryPrice: entry,
    margin: r.margin ?? (r.coversEveryMove && value.gt(0) && !value.isNaN() ? covering : fromUnits(r.marginUnits, 8)),
  };
  if (r.accountValue !== undefined) p.accountValue = r.accountValue;
  return p;
}

function attempt<T>(fn: () => T): T | { issues: unknown } {
  try {
    return fn();
  } catch (e) {
    const issues = (e as { issues?: unknown }).issues;
    if (e instanceof Error && Array.isArray(issues)) return { issues };
    throw e;
  }
}

/** What parseCounterparties and the stress lab's book guarantee: parsePosition accepts each, accounts distinct per side. */
function checked(market: ParsedMarket, positions: readonly PositionInput[]): boolean {
  const seen = { long: new Set<string>(), short: new Set<string>() };
  return positions.every((p, i) => {
    if (seen[p.side].has(p.accountId)) return false;
    seen[p.side].add(p.accountId);
    return !("issues" in (attempt(() => parsePosition(p, market, `/counterparties/${i}`)) as object));
  });
}

function keysOf(b: PreparedBatch) {
  const k = b.keys;
  return { longs: k.longs, shorts: k.shorts, score: [...k.score], scoreErr: [...k.scoreErr], cells: [...k.cells], size: [...k.size], long: sideQueue(b, "long"), short: sideQueue(b, "short") };
}

describe("prepareCheckedBatch on a validated batch is prepareBatch", () => {
  it("same keys and queues, or the same refusal, issue for issue (random, hostile, inverse shorts without a bankruptcy price)", () => {
    let compared = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        marketInputArb,
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.constantFrom(...RANKING_METHODS),
        fc.array(fc.tuple(rowArb, fc.boolean()), { minLength: 0, maxLength: 10 }),
        fc.option(fc.constantFrom("seed", ""), { nil: undefined }),
        (m, markUnits, method, rows, seed) => {
          const market = parseMarket(m);
          const mark = market.tickSize.times(markUnits.toString());
          const positions = rows.map(([r, short], i) => position(market, r, i, short ? "short" : "long"));
          if (!checked(market, positions)) return;
          compared++;
          const before = attempt(() => keysOf(prepareBatch(market, mark, method, positions, seed, "/counterparties")));
          const after = attempt(() => keysOf(prepareCheckedBatch(market, mark, method, positions, seed, "/counterparties")));
          if ("issues" in before) refused++;
          expect(after).toEqual(before);
        },
      ),
      { numRuns: 4000 },
    );
    expect(compared).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(20);
  });
});

describe("the routes that hold a validated batch give the same bytes", { timeout: 300_000 }, () => {
  it("comparePolicies: same JSON or the same refusal as with prepareBatch, on random and hostile books", async () => {
    const { now, old } = await load();
    const codes = new Map<string, number>();
    let accepted = 0;
    fc.assert(
      fc.property(
        marketInputArb,
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.constantFrom<Side>("long", "short"),
        fc.array(fc.record({ lots: fc.integer({ min: 1, max: 3000 }), bpUnits: fc.bigInt({ min: 1n, max: 10n ** 9n }) }), { minLength: 1, maxLength: 3 }),
        fc.array(rowArb, { minLength: 0, maxLength: 10 }),
        fc.option(fc.subarray([...COMPARE_CANDIDATES], { minLength: 1 }), { nil: undefined }),
        fc.option(fc.constantFrom("seed", "x"), { nil: undefined }),
        fc.constantFrom(undefined, "full" as const, "metrics" as const),
        fc.constantFrom(undefined, "mark" as const, "bankruptcy" as const),
        (m, markUnits, side, bankrupts, rows, policies, seed, detail, priceRule) => {
          const market = parseMarket(m);
          const cpSide: Side = side === "long" ? "short" : "long";
          const req = {
            market: m,
            markPrice: market.tickSize.times(markUnits.toString()).toFixed(),
            liquidated: bankrupts.map((b) => ({ side, size: market.lotSize.times(b.lots).toFixed(), bankruptcyPrice: market.tickSize.times(b.bpUnits.toString()).toFixed() })),
            counterparties: rows.map((r, i) => position(market, r, i, cpSide)),
            ...(policies === undefined ? {} : { policies }),
            ...(seed === undefined ? {} : { seed }),
            ...(detail === undefined ? {} : { detail }),
            ...(priceRule === undefined ? {} : { priceRule }),
          };
          const want = outcome(() => old.compare.comparePolicies(req));
          const got = outcome(() => now.compare.comparePolicies(req));
          expect(got).toBe(want);
          const parsed = JSON.parse(want) as { ok?: unknown; issues?: { code: string; message: string }[] };
          if (parsed.ok) accepted++;
          for (const i of parsed.issues ?? []) codes.set(i.code, (codes.get(i.code) ?? 0) + 1);
          for (const i of parsed.issues ?? []) codes.set(i.message, (codes.get(i.message) ?? 0) + 1);
        },
      ),
      // A fixed seed: the counts below are about this run's draws, not a chance every run must win.
      { numRuns: 600, seed: 20261202 },
    );
    expect(accepted).toBeGreaterThan(100);
    // Every kind of refusal occurred (codes, and the two domain rules beyond the wire's by their messages).
    const kinds = ["no_bankruptcy_price", "seed_required", "wrong_side", "duplicate_account", "not_lot_multiple", "too_many_decimals", "more than 40 significant digits", "negative zero is not allowed"];
    for (const kind of kinds) expect([kind, (codes.get(kind) ?? 0) > 0]).toEqual([kind, true]);
  });

  it("the stress lab: same summary or the same refusal as with prepareBatch (queue policies, inverse shorts without a bankruptcy price)", async () => {
    const { now, old } = await load();
    let runs = 0;
    let refusedNoBp = 0;
    let withFills = 0;
    const posArb = fc.record({ size: fc.integer({ min: 1, max: 40 }), entry: fc.integer({ min: 18_000, max: 22_000 }), lev: fc.integer({ min: 1, max: 60 }), covers: rare(6) });
    fc.assert(
      fc.property(
        fc.array(posArb, { minLength: 1, maxLength: 12 }),
        fc.array(posArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom("linear" as const, "inverse" as const),
        fc.constantFrom("1", "0.1"),
        (longs, shorts, seed, contractType, lot) => {
          const mk = (side: Side, prefix: string) => (p: { size: number; entry: number; lev: number; covers: boolean }, k: number) => {
            const size = Number(lot) * p.size;
            const entry = p.entry / 2;
            // Linear: margin = value/lev; inverse: value in coin = size/entry. `covers`: margin twice the value.
            const value = contractType === "linear" ? size * entry : size / entry;
            const margin = p.covers ? value * 2 : value / p.lev;
            return { accountId: `${prefix}${k}`, side, size: String(size), entryPrice: String(entry), margin: (Math.ceil(margin * 1e6) / 1e6).toFixed(6) };
          };
          const input = {
            market: { contractType, contractSize: "1", lotSize: lot, tickSize: "0.5", amountDecimals: 6 },
            markPrice: "10000",
            positions: [...longs.map(mk("long", "L")), ...shorts.map(mk("short", "S"))],
            fund: { balance: "0" },
            liquidation: { maintenanceMarginRate: "0.005" },
            scenario: { model: "gbm" as const, paths: 1, steps: 20, seed, sigma: "0.03" },
            impact: { model: "linear" as const, lambda: "5" },
            policies: [...COMPARE_CANDIDATES],
            output: { events: true, steps: false },
          };
          const run = (s: typeof now.simulation) => () => {
            const plan = s.parseSimulation(input);
            return s.summarize(plan, s.runPaths(plan, 0, 1, 1), 1);
          };
          const want = outcome(run(old.simulation));
          expect(outcome(run(now.simulation))).toBe(want);
          runs++;
          if (want.includes("no_bankruptcy_price")) refusedNoBp++;
          else if (want.includes('"fills":[{')) withFills++;
        },
      ),
      // A fixed seed, as above: about 45 of 120 random draws fill, close enough to the bound to fail by chance.
      { numRuns: 120, seed: 20261202 },
    );
    expect(runs).toBe(120);
    expect(refusedNoBp).toBeGreaterThan(0);
    expect(withFills).toBeGreaterThan(40);
  });
});
