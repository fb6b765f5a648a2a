/**
 * The service's ranking (rankColumns and its wire strings, read through rankPositions) against the ranking's
 * specification in src (src/domain/ranking/spec/rank.ts rankExactly: BigInt rationals, bankruptcy-price.ts,
 * indicators.ts) on the same random batches, with exact ties and near-ties: the same queues, the same strings, the
 * same refusals.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rankPositions, type Rankings } from "./ranked-objects";
import { DomainError, type DomainIssue, type Market, type PositionInput } from "../../src/domain/types";
import { type RankingRequest, rankExactly } from "../../src/domain/ranking/spec/rank";

const markets: Market[] = [
  { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1" },
  { contractType: "linear", contractSize: "0.0001", lotSize: "1", tickSize: "0.5" },
  { contractType: "inverse", contractSize: "100", lotSize: "1", tickSize: "0.5" },
  { contractType: "inverse", contractSize: "1", lotSize: "1", tickSize: "0.01" },
];

/** Decimal string with `dp` places from an integer of units. */
const dec = (units: bigint, dp: number) => {
  const neg = units < 0n;
  let s = (neg ? -units : units).toString().padStart(dp + 1, "0");
  if (dp > 0) s = `${s.slice(0, -dp)}.${s.slice(-dp)}`;
  return (neg ? "-" : "") + s;
};

const arbBatch = fc
  .record({
    m: fc.constantFrom(...markets),
    markUnits: fc.bigInt({ min: 150_000n, max: 250_000n }),
    raw: fc.array(
      fc.record({
        long: fc.boolean(),
        lots: fc.bigInt({ min: 1n, max: 5_000n }),
        entryOffset: fc.oneof(fc.constant(0n), fc.bigInt({ min: -40_000n, max: 40_000n }), fc.bigInt({ min: -3n, max: 3n })),
        marginUnits: fc.bigInt({ min: 1n, max: 10_000_000_000n }),
        twin: fc.boolean(),
        // Margin placed within a few units of what makes equity at mark exactly zero: signs floats cannot decide.
        edge: fc.option(fc.bigInt({ min: -3n, max: 3n }), { nil: undefined, freq: 3 }),
        acct: fc.option(fc.bigInt({ min: 1n, max: 10_000_000n }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 60 },
    ),
    method: fc.constantFrom("bitmex" as const, "binance" as const, "hyperliquid" as const),
  })
  .map(({ m, markUnits, raw, method }) => {
    const lotDp = (m.lotSize.split(".")[1] ?? "").length;
    // Prices on a 0.1 grid: within every market's tick decimals.
    const mark = dec(markUnits, 1);
    const positions: PositionInput[] = [];
    raw.forEach((r, i) => {
      const entryUnits = markUnits + r.entryOffset > 1000n ? markUnits + r.entryOffset : markUnits;
      const entry = dec(entryUnits, 1);
      let marginUnits = r.marginUnits;
      if (r.edge !== undefined && m.contractType === "linear") {
        // Linear equity zero: M = -s*Q*K*(P - E); in margin units of 1e-6.
        const K = BigInt(Math.round(Number(m.contractSize) * 1e4));
        const lotsScaled = r.lots; // size = lots * 10^-lotDp
        const move = (r.long ? 1n : -1n) * lotsScaled * K * (markUnits - entryUnits); // * 10^-(lotDp + 4 + 1)
        const shift = 6 - (lotDp + 4 + 1);
        const zeroM = -move * (shift >= 0 ? 10n ** BigInt(shift) : 1n) / (shift < 0 ? 10n ** BigInt(-shift) : 1n);
        if (zeroM + r.edge > 0n) marginUnits = zeroM + r.edge;
      }
      const base: PositionInput = {
        accountId: `a${i}`,
        side: r.long ? "long" : "short",
        size: dec(r.lots, lotDp),
        entryPrice: entry,
        margin: dec(marginUnits, 6),
        ...(r.acct !== undefined && method !== "bitmex" ? { accountValue: dec(r.acct, 2) } : {}),
      };
      positions.push(base);
      // A twin with double size and double margin: the same bitmex score exactly, so the tie-break must decide.
      if (r.twin) positions.push({ ...base, accountId: `t${i}`, size: dec(r.lots * 2n, lotDp), margin: dec(marginUnits * 2n, 6), accountValue: undefined });
    });
    return { market: m, markPrice: mark, method, positions };
  });

/** What the specification says of a request: its rankings, or the issues it refuses the batch with. */
function specified(req: RankingRequest): { rankings: Rankings } | { issues: DomainIssue[] } {
  try {
    return { rankings: rankExactly(req) };
  } catch (e) {
    if (e instanceof DomainError) return { issues: e.issues };
    throw e;
  }
}

/** The service's queues, position by position, equal the specification's: order, every string, rank, indicator. */
function expectSameRankings(got: Rankings, want: Rankings): void {
  for (const side of ["long", "short"] as const) {
    const ref = want[side];
    expect(got[side].map((r) => r.accountId)).toEqual(ref.map((r) => r.accountId));
    got[side].forEach((r, k) => {
      const e = ref[k]!;
      expect(r.score).toBe(e.score);
      expect(r.pnlRatio).toBe(e.pnlRatio);
      expect(r.effectiveLeverage).toBe(e.effectiveLeverage);
      expect(r.bankruptcyPrice).toBe(e.bankruptcyPrice);
      expect(r.rank).toBe(k + 1);
      expect(r).toEqual(e);
    });
  }
}

/** The service's ranking of `req` equals the specification's, refusals included (same issues, same order). */
function expectAsSpecified(req: RankingRequest): void {
  const want = specified(req);
  let got;
  try {
    got = rankPositions(req);
  } catch (e) {
    // Inverse shorts fully collateralised have no bankruptcy price: a precise error, not a ranking.
    expect((e as Error).name).toBe("DomainError");
    expect((e as { issues: { code: string }[] }).issues.every((i) => i.code === "no_bankruptcy_price")).toBe(true);
    expect(want).toEqual({ issues: (e as DomainError).issues });
    return;
  }
  expect("rankings" in want ? "ranked" : want.issues).toBe("ranked");
  expectSameRankings(got, (want as { rankings: Rankings }).rankings);
}

describe("fast ranking equals the specification (src/domain/ranking/spec/)", () => {
  it("same order, same strings, on random batches with exact ties and near-ties", () => {
    fc.assert(
      fc.property(arbBatch, ({ market, markPrice, method, positions }) => {
        expectAsSpecified({ market, markPrice, method, indicator: "bybit", positions });
      }),
      { numRuns: 300 },
    );
  });

  it("method random: the same walk, positions at or past bankruptcy last, the same strings", () => {
    fc.assert(
      fc.property(arbBatch, fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom("gate" as const, "bitmex" as const), ({ market, markPrice, positions }, seed, indicator) => {
        expectAsSpecified({ market, markPrice, method: "random", indicator, positions, seed });
      }),
      { numRuns: 150 },
    );
  });

  it("inverse shorts at the edge of having a bankruptcy price (margin = size*contractSize/entryPrice, a few units off): refused alike, ranked alike", () => {
    const inverse = markets.filter((m) => m.contractType === "inverse");
    const arbEdge = fc.record({
      m: fc.constantFrom(...inverse),
      markUnits: fc.bigInt({ min: 150_000n, max: 250_000n }),
      entry: fc.constantFrom(20_000n, 25_000n, 16_000n, 12_500n, 10_000n),
      rows: fc.array(fc.record({ long: fc.boolean(), lots: fc.bigInt({ min: 1n, max: 5_000n }), edge: fc.bigInt({ min: -3n, max: 3n }) }), { minLength: 1, maxLength: 8 }),
      method: fc.constantFrom("bitmex" as const, "binance" as const, "hyperliquid" as const),
    });
    fc.assert(
      fc.property(arbEdge, ({ m, markUnits, entry, rows, method }) => {
        const K = BigInt(m.contractSize);
        const positions: PositionInput[] = rows.map((r, i) => {
          // Q*K/E in units of 1e-6, rounded down when it is not a whole number of units (then only near the edge).
          const edgeM = (r.lots * K * 1_000_000n) / entry;
          return { accountId: `e${i}`, side: r.long ? "long" : "short", size: dec(r.lots, 0), entryPrice: dec(entry * 10n, 1), margin: dec(edgeM + r.edge > 0n ? edgeM + r.edge : 1n, 6) };
        });
        expectAsSpecified({ market: m, markPrice: dec(markUnits, 1), method, indicator: "gate", positions });
      }),
      { numRuns: 200 },
    );
  });

  it("books where many positions are past bankruptcy (one exact \"none\" score, few sizes) or at the mark written otherwise (an unbounded score): the same queues", () => {
    // Larger than arbBatch's batches, so fast/order.ts's clusters of equal scores (sorted by size) and its unbounded
    // scores (merged back by binary search) are reached with the real comparator.
    const linearMarkets = markets.filter((m) => m.contractType === "linear");
    const arbBook = fc.record({
      m: fc.constantFrom(...linearMarkets),
      markTens: fc.bigInt({ min: 15_000n, max: 25_000n }),
      rows: fc.array(
        fc.record({
          long: fc.boolean(),
          lots: fc.constantFrom(1n, 2n, 3n, 5n),
          kind: fc.constantFrom("sunk", "sunk", "sunk", "atMark", "live"),
          marginUnits: fc.bigInt({ min: 1n, max: 10_000_000_000n }),
        }),
        { minLength: 20, maxLength: 120, size: "max" },
      ),
      method: fc.constantFrom("bitmex" as const, "binance" as const, "hyperliquid" as const),
    });
    fc.assert(
      fc.property(arbBook, ({ m, markTens, rows, method }) => {
        const lotDp = (m.lotSize.split(".")[1] ?? "").length;
        const markUnits = markTens * 10n; // "20000.0": the canonical mark is "20000", so an entry "20000.0" is not string-equal
        const positions: PositionInput[] = rows.map((r, i) => {
          const s = r.long ? 1n : -1n;
          // sunk: 10% against the position with a margin of 1e-6: equity < 0, no score.
          const entryUnits = r.kind === "sunk" ? markUnits + (s * markUnits) / 10n : r.kind === "atMark" ? markUnits : markUnits - (s * markUnits) / 20n;
          return { accountId: `b${(i * 7919) % 1009}-${i}`, side: r.long ? "long" : "short", size: dec(r.lots, lotDp), entryPrice: dec(entryUnits, 1), margin: dec(r.kind === "sunk" ? 1n : r.marginUnits, 6) };
        });
        expectAsSpecified({ market: m, markPrice: dec(markUnits, 1), method, indicator: "bybit", positions });
      }),
      { numRuns: 100 },
    );
  });

  it("does not depend on the order of the batch", () => {
    fc.assert(
      fc.property(arbBatch, fc.integer(), ({ market, markPrice, method, positions }, seed) => {
        const shuffled = positions.slice();
        let x = seed >>> 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          const j = x % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const run = (ps: PositionInput[]) => {
          try {
            return rankPositions({ market, markPrice, method, indicator: "binance", positions: ps });
          } catch (e) {
            return (e as Error).name;
          }
        };
        expect(run(shuffled)).toEqual(run(positions));
      }),
      { numRuns: 200 },
    );
  });
});

describe("extreme magnitudes", () => {
  const digits = (min: number, max: number) => fc.bigInt({ min: 10n ** BigInt(min), max: 10n ** BigInt(max) });
  const tiny: Market = { contractType: "linear", contractSize: "0.000000000000000000001", lotSize: "0.0000000001", tickSize: "0.00000000000000000001" };
  const huge: Market = { contractType: "inverse", contractSize: "1000000000000000000000", lotSize: "1", tickSize: "0.00000000000000000001" };
  it("40-digit sizes, prices and margins still match the specification exactly", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(tiny, huge),
        fc.constantFrom("bitmex" as const, "binance" as const, "hyperliquid" as const),
        digits(0, 20),
        fc.array(fc.record({ long: fc.boolean(), lots: digits(0, 29), entry: digits(0, 20), margin: digits(0, 38) }), { minLength: 1, maxLength: 12 }),
        (market, method, markUnits, raw) => {
          const lotDp = (market.lotSize.split(".")[1] ?? "").length;
          const positions: PositionInput[] = raw.map((r, i) => ({
            accountId: `x${i}`,
            side: r.long ? "long" : "short",
            size: dec(r.lots, lotDp),
            entryPrice: dec(r.entry, 10),
            margin: dec(r.margin, 12),
          }));
          const markPrice = dec(markUnits, 10);
          expectAsSpecified({ market, markPrice, method, indicator: "okx", positions });
        },
      ),
      { numRuns: 300 },
    );
  });
});
