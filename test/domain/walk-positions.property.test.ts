/**
 * A counterparty of a batch is validated once: the wire rule (num/decimal-syntax.ts, the zod Position) and the batch
 * rules prepareBatch runs (src/domain/ranking/spec/batch.ts), after which the queue walk converts the reached
 * positions without validating them again (adl.ts parsedLazily and liquidation/batch.ts, through ranking/spec/batch.ts
 * positionValues). That is sound because, on every batch of wire-valid positions:
 *   - prepareBatch refuses every position parsePosition refuses, with parsePosition's issues (pointer and code, and
 *     the message, except too_many_decimals, which the batch rules word with the tick; before, too, prepareBatch ran
 *     first, so a counterparty was refused with the batch's wording), and refuses nothing else but the batch-level
 *     rules (duplicate account, an inverse short without a bankruptcy price, random without a seed);
 *   - on a batch prepareBatch accepts, the walk's positions equal parsePosition's field for field, and the walk
 *     (deleverage) plans exactly what planOnQueue plans over parsePosition's positions in queue order.
 * Fields are mostly valid for the market and sometimes hostile text the wire accepts (41 significant digits, "-0",
 * off the lot or tick grid, trailing zeros, tiny values).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deleverage, planOnQueue, prepareOpposite } from "../../src/domain/adl";
import { parseMarket, type ParsedMarket } from "../../src/domain/market";
import { DECIMAL_MAX_LENGTH, EDGE_DECIMAL_RE, EDGE_POSITIVE_RE, UNSIGNED_DECIMAL_MAX_LENGTH } from "../../src/domain/num/decimal-syntax";
import { Decimal } from "../../src/domain/num/decimal";
import { type ParsedPosition, parsePosition } from "../../src/domain/parsed-position";
import { prepareBatch, sideQueue } from "../../src/domain/ranking/rank";
import { positionValues } from "../../src/domain/ranking/spec/batch";
import { RANKING_METHODS } from "../../src/domain/ranking/spec/methods";
import { DomainError, type DomainIssue, type PositionInput } from "../../src/domain/types";
import { decimalTextArb, fromUnits } from "./arbitraries";

const marketInputArb = fc.record({
  contractType: fc.constantFrom("linear" as const, "inverse" as const),
  contractSize: fc.constantFrom("1", "0.001", "100"),
  lotSize: fc.constantFrom("1", "0.1", "0.001", "5", "0.25"),
  tickSize: fc.constantFrom("0.5", "0.01", "1", "0.00000001"),
});

const wirePositive = (s: unknown): s is string => typeof s === "string" && s.length <= UNSIGNED_DECIMAL_MAX_LENGTH && EDGE_POSITIVE_RE.test(s);
const wireSigned = (s: unknown): s is string => typeof s === "string" && s.length <= DECIMAL_MAX_LENGTH && EDGE_DECIMAL_RE.test(s);
/** Hostile decimal text the wire rule lets through (the only kind that reaches prepareBatch). */
const hostilePositive = decimalTextArb.filter(wirePositive) as fc.Arbitrary<string>;
const hostileSigned = fc.oneof(decimalTextArb.filter(wireSigned) as fc.Arbitrary<string>, fc.constantFrom("-0", "-0.00", "0", "0.0"));

/** Mostly absent (the valid value is used), sometimes the hostile text. */
const sometimes = <T>(hostile: fc.Arbitrary<T>, weight = 6) => fc.oneof({ weight, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostile });

const rowArb = fc.record({
  duplicate: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  short: fc.boolean(),
  lots: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 1000 }) }, { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 10n ** 39n }) }),
  size: sometimes(hostilePositive, 10),
  entryUnits: fc.bigInt({ min: 1n, max: 10n ** 9n }),
  entryDp: fc.integer({ min: 0, max: 8 }),
  offTick: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  entryTrailingZeros: fc.nat({ max: 2 }),
  entry: sometimes(hostilePositive, 12),
  marginUnits: fc.bigInt({ min: 1n, max: 10n ** 12n }),
  margin: sometimes(hostilePositive, 12),
  accountValue: fc.option(fc.oneof({ weight: 6, arbitrary: fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }).map((u) => fromUnits(u, 8)) }, { weight: 1, arbitrary: hostileSigned }), { nil: undefined }),
});

type Row = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

function position(market: ParsedMarket, r: Row, i: number, short: boolean): PositionInput {
  // An entry price within the tick's decimals, or (offTick) with one more; trailing zeros sometimes.
  const dp = r.offTick ? market.tickDecimals + 1 : Math.min(r.entryDp, market.tickDecimals);
  const units = r.offTick ? r.entryUnits * 10n + 1n : r.entryUnits;
  const written = fromUnits(units, dp);
  const entry = r.entry ?? (written.includes(".") ? `${written}${"0".repeat(r.entryTrailingZeros)}` : written);
  const p: PositionInput = {
    accountId: r.duplicate && i > 0 ? "acct-0" : `acct-${i}`,
    side: short ? "short" : "long",
    size: r.size ?? market.lotSize.times(r.lots.toString()).toFixed(),
    entryPrice: entry,
    margin: r.margin ?? fromUnits(r.marginUnits, 8),
  };
  if (r.accountValue !== undefined) p.accountValue = r.accountValue;
  return p;
}

const caseArb = fc.record({
  market: marketInputArb,
  markUnits: fc.bigInt({ min: 1n, max: 10n ** 9n }),
  method: fc.constantFrom(...RANKING_METHODS),
  rows: fc.array(rowArb, { minLength: 1, maxLength: 8 }),
  lots: fc.integer({ min: 1, max: 3000 }),
});

function attempt<T>(fn: () => T): T | DomainError {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
}

/** An issue as the walk's parse and the batch rules must agree on it (too_many_decimals: two wordings, see above). */
const agreed = (i: DomainIssue) => (i.code === "too_many_decimals" ? { pointer: i.pointer, code: i.code } : i);
const BATCH_LEVEL = new Set(["duplicate_account", "no_bankruptcy_price", "seed_required"]);

function samePosition(got: ParsedPosition, want: ParsedPosition): void {
  expect([got.pointer, got.accountId, got.side, got.sign]).toEqual([want.pointer, want.accountId, want.side, want.sign]);
  for (const f of ["size", "entryPrice", "margin", "qk"] as const) expect([f, got[f].toString(), got[f].eq(want[f])]).toEqual([f, want[f].toString(), true]);
  expect(got.accountValue === null ? null : got.accountValue.toString()).toEqual(want.accountValue === null ? null : want.accountValue.toString());
  expect(Object.keys(got)).toEqual(Object.keys(want));
}

describe("the walk's positions need no second validation", () => {
  it("prepareBatch refuses what parsePosition refuses, with its issues; on what it accepts the walk's positions are parsePosition's", () => {
    let accepted = 0;
    let refusedByParse = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const market = parseMarket(c.market);
        const mark = market.tickSize.times(c.markUnits.toString());
        const positions = c.rows.map((r, i) => position(market, r, i, r.short));
        const seed = c.method === "random" ? "seed" : undefined;
        const prepared = attempt(() => prepareBatch(market, mark, c.method, positions, seed, "/counterparties"));
        const parsed = positions.map((p, i) => attempt(() => parsePosition(p, market, `/counterparties/${i}`)));
        const parseIssues = parsed.flatMap((p) => (p instanceof DomainError ? p.issues : []));
        if (parseIssues.length > 0) {
          refusedByParse++;
          expect(prepared).toBeInstanceOf(DomainError);
        }
        if (prepared instanceof DomainError) {
          const batchIssues = prepared.issues.map(agreed);
          for (const issue of parseIssues) expect(batchIssues).toContainEqual(agreed(issue));
          // Nothing else but the batch-level rules, and in the order parsePosition reports them position by position.
          const fieldIssues = prepared.issues.filter((i) => !BATCH_LEVEL.has(i.code));
          expect(fieldIssues.map(agreed)).toEqual(parseIssues.map(agreed));
          return;
        }
        accepted++;
        positions.forEach((p, i) => samePosition(positionValues(market, p, `/counterparties/${i}`), parsed[i] as ParsedPosition));
      }),
      { numRuns: 2000 },
    );
    // Both branches must carry real weight, or the property says nothing.
    expect([accepted > 200, refusedByParse > 200, accepted, refusedByParse]).toEqual([true, true, accepted, refusedByParse]);
  });

  it("the walk (deleverage) plans what planOnQueue plans over parsePosition's positions in queue order", () => {
    let walked = 0;
    fc.assert(
      fc.property(caseArb, fc.boolean(), (c, liquidatedLong) => {
        const market = parseMarket(c.market);
        const mark = market.tickSize.times(c.markUnits.toString());
        // Every counterparty on the side opposite the bankrupt position.
        const counterparties = c.rows.map((r, i) => position(market, r, i, liquidatedLong));
        const liquidatedSide = liquidatedLong ? "long" : "short";
        const seed = c.method === "random" ? "seed" : undefined;
        const opposite = attempt(() => prepareOpposite({ market, mark, liquidatedSide, liquidatedAccountId: "bankrupt", policy: "queue", method: c.method, seed, counterparties }));
        if (opposite instanceof DomainError || opposite.kind !== "queue") return;
        walked++;
        const quantity = market.lotSize.times(c.lots);
        const price = new Decimal(mark);
        const got = attempt(() => deleverage(opposite, quantity, price, "/liquidated/bankruptcyPrice"));
        const order = sideQueue(opposite.batch, liquidatedLong ? "short" : "long");
        let pulled = 0;
        const queue = (function* () {
          for (const i of order) {
            pulled++;
            yield parsePosition(counterparties[i]!, market, `/counterparties/${i}`);
          }
        })();
        const want = attempt(() => planOnQueue(market, liquidatedSide, quantity, price, queue, { quantity: "/quantity", price: "/liquidated/bankruptcyPrice" }));
        if (want instanceof DomainError) return expect(got instanceof DomainError ? got.issues : got).toEqual(want.issues);
        expect(got).toEqual({ ...want, queueReached: pulled });
      }),
      { numRuns: 1000 },
    );
    expect([walked > 200, walked]).toEqual([true, walked]);
  });
});
