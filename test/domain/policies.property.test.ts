import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal, ZERO } from "../../src/domain/num/decimal";
import type { FillPlan } from "../../src/domain/fills";
import type { ParsedMarket } from "../../src/domain/market";
import type { PolicyInput } from "../../src/domain/policies";
import { ALLOCATING_POLICIES } from "./wire-plans";
import { haircutPerContract, lotsWithinPnl } from "../../src/domain/policies/fast/common";
import { equityAt, parsePosition, type ParsedPosition, unrealizedPnl } from "../../src/domain/position";
import { DomainError, type Side } from "../../src/domain/types";
import { comparePolicies } from "../../src/domain/policies/compare";
import { marketArb, opposite, priceArb, queueArb, sideArb } from "./arbitraries";

const d = (s: string | number) => new Decimal(s);
const NAMES = Object.keys(ALLOCATING_POLICIES) as (keyof typeof ALLOCATING_POLICIES)[];

/** A market, the bankrupt side, the opposite side (distinct accounts), lots to deleverage, ADL price and mark. */
const caseArb = marketArb.chain((market) =>
  sideArb.chain((liquidatedSide) =>
    fc.record({
      market: fc.constant(market),
      liquidatedSide: fc.constant(liquidatedSide),
      counterparties: queueArb(market, opposite(liquidatedSide), 12),
      lots: fc.integer({ min: 1, max: 8000 }),
      price: priceArb(market),
      mark: priceArb(market),
    }),
  ),
);

type Case = { market: ParsedMarket; liquidatedSide: Side; counterparties: ParsedPosition[]; lots: number; price: string; mark: string };
const toInput = (c: Case): PolicyInput => ({
  market: c.market,
  liquidatedSide: c.liquidatedSide,
  quantity: c.market.lotSize.times(c.lots),
  price: d(c.price),
  mark: d(c.mark),
  counterparties: c.counterparties,
});
const byAccount = (plan: FillPlan) => new Map(plan.fills.map((f) => [f.accountId, d(f.quantity)]));

describe("every allocating policy, on random sides", () => {
  it("closes exactly the requested quantity or reports the shortfall; no account gives more than it holds", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...NAMES), (c, name) => {
        const input = toInput(c);
        const plan = ALLOCATING_POLICIES[name](input);
        const filled = d(plan.filledQuantity);
        expect(plan.fills.reduce((s, f) => s.plus(f.quantity), ZERO).eq(filled)).toBe(true);
        expect(filled.plus(plan.unfilledQuantity).eq(input.quantity)).toBe(true);
        expect(d(plan.unfilledQuantity).gte(0)).toBe(true);
        const holders = new Map(c.counterparties.map((p) => [p.accountId, p]));
        expect(new Set(plan.fills.map((f) => f.accountId)).size).toBe(plan.fills.length);
        const total = c.counterparties.reduce((s, p) => s.plus(p.size), ZERO);
        for (const f of plan.fills) {
          const holder = holders.get(f.accountId)!;
          const q = d(f.quantity);
          expect(q.gt(0) && q.lte(holder.size)).toBe(true);
          expect(q.mod(c.market.lotSize).isZero()).toBe(true);
          expect(f.price).toBe(plan.price);
          expect(d(f.remainingSize).eq(holder.size.minus(q))).toBe(true);
        }
        // Only capped-pro-rata may leave quantity the side could hold: it refuses to take principal.
        if (name !== "capped-pro-rata") expect(d(plan.unfilledQuantity).eq(input.quantity.gt(total) ? input.quantity.minus(total) : ZERO)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("capped-pro-rata never takes more than a winner's positive PnL, takes nothing from losers, and stops short only at the caps", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const input = toInput(c);
        const plan = ALLOCATING_POLICIES["capped-pro-rata"](input);
        const sign = c.liquidatedSide === "long" ? -1 : 1;
        const h = haircutPerContract(c.market, sign, input.mark, input.price);
        const got = byAccount(plan);
        let anyRoom = false;
        for (const p of c.counterparties) {
          const pnl = unrealizedPnl(c.market, p, input.mark);
          const q = got.get(p.accountId) ?? ZERO;
          if (pnl.lte(0)) expect(q.isZero()).toBe(true);
          // Exact form of q*h <= uPnL (cross-multiplied, see lotsWithinPnl); the decimal product agrees to 1e-140.
          const lots = BigInt(q.div(c.market.lotSize).toFixed(0));
          const within = h.gt(0) && pnl.gt(0) ? lotsWithinPnl(c.market, p, input.mark, input.price) : null;
          if (within !== null) {
            expect(lots <= within).toBe(true);
            expect(q.times(h).minus(pnl).lte(pnl.abs().times("1e-140"))).toBe(true);
          }
          const next = q.plus(c.market.lotSize);
          if (pnl.gt(0) && next.lte(p.size) && (within === null || lots + 1n <= within)) anyRoom = true;
        }
        if (d(plan.unfilledQuantity).gt(0)) expect(anyRoom).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it("is deterministic and independent of the order of the side", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...NAMES), fc.integer(), (c, name, seed) => {
        const input = toInput(c);
        const shuffled = c.counterparties.slice().sort((a, b) => ((hash(a.accountId, seed) - hash(b.accountId, seed)) | 0));
        const first = ALLOCATING_POLICIES[name](input);
        expect(ALLOCATING_POLICIES[name](input)).toEqual(first);
        expect(ALLOCATING_POLICIES[name]({ ...input, counterparties: shuffled })).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });
});

function hash(s: string, seed: number): number {
  let x = seed | 0;
  for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 0x9e3779b1);
  return x;
}

describe("pro-rata policies resist account splitting", () => {
  it("splitting one account into two with the same total changes its total by at most one lot, and nobody else's by more", () => {
    const splitArb = caseArb
      .filter((c) => c.counterparties.length > 0)
      .chain((c) => fc.record({ c: fc.constant(c), at: fc.integer({ min: 0, max: c.counterparties.length - 1 }), cut: fc.double({ min: 0.01, max: 0.99, noNaN: true }) }))
      .filter(({ c, at }) => c.counterparties[at]!.size.gt(c.market.lotSize));
    fc.assert(
      fc.property(splitArb, fc.constantFrom("pro-rata" as const, "capped-pro-rata" as const), ({ c, at, cut }, name) => {
        const whole = c.counterparties[at]!;
        const lots = whole.size.div(c.market.lotSize).toNumber();
        const k = Math.min(lots - 1, Math.max(1, Math.round(lots * cut)));
        const part = (id: string, l: number) =>
          parsePosition(
            {
              accountId: id,
              side: whole.side,
              size: c.market.lotSize.times(l).toFixed(),
              entryPrice: whole.entryPrice.toFixed(),
              margin: whole.margin.times(l).div(lots).toFixed(8, Decimal.ROUND_UP),
            },
            c.market,
            "/split",
          );
        const split = [...c.counterparties.filter((_, i) => i !== at), part("split-1", k), part("split-2", lots - k)];
        const before = byAccount(ALLOCATING_POLICIES[name](toInput(c)));
        const after = byAccount(ALLOCATING_POLICIES[name]({ ...toInput(c), counterparties: split }));
        const lot = c.market.lotSize;
        const joined = (after.get("split-1") ?? ZERO).plus(after.get("split-2") ?? ZERO);
        expect(joined.minus(before.get(whole.accountId) ?? ZERO).abs().lte(lot)).toBe(true);
        for (const p of c.counterparties) {
          if (p === whole) continue;
          expect((after.get(p.accountId) ?? ZERO).minus(before.get(p.accountId) ?? ZERO).abs().lte(lot)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe("comparePolicies on random events of one to three bankrupt positions", () => {
  const eventArb = caseArb.chain((c) =>
    fc.record({
      c: fc.constant(c),
      bankrupts: fc.array(fc.record({ lots: fc.integer({ min: 1, max: 3000 }), bankruptcyPrice: priceArb(c.market) }), { minLength: 1, maxLength: 3 }),
    }),
  );
  const eventProperty = () =>
      fc.property(eventArb, ({ c, bankrupts }) => {
        const m = c.market;
        const req = {
          market: { contractType: m.contractType, contractSize: m.contractSize.toFixed(), lotSize: m.lotSize.toFixed(), tickSize: m.tickSize.toFixed() },
          markPrice: c.mark,
          seed: "event",
          liquidated: bankrupts.map((b) => ({ side: c.liquidatedSide, size: m.lotSize.times(b.lots).toFixed(), bankruptcyPrice: b.bankruptcyPrice })),
          counterparties: c.counterparties.map((p) => ({ accountId: p.accountId, side: p.side, size: p.size.toFixed(), entryPrice: p.entryPrice.toFixed(), margin: p.margin.toFixed() })),
        };
        let out;
        try {
          out = comparePolicies(req);
        } catch (e) {
          // The queue's ranking refuses an inverse short whose margin covers every move (ranking/fast/batch.ts); the
          // allocating policies accept it. Such draws say nothing about the policies.
          fc.pre(!(e instanceof DomainError && e.issues.every((i) => i.code === "no_bankruptcy_price")));
          throw e;
        }
        expect(out.results).toHaveLength(7);
        const requested = bankrupts.reduce((s, b) => s.plus(m.lotSize.times(b.lots)), ZERO);
        for (const r of out.results) {
          expect(d(r.filledQuantity).plus(r.unfilledQuantity).eq(requested)).toBe(true);
          expect(r.accounts!.length).toBe(r.metrics.accountsTouched);
          const closed = r.accounts!.reduce((s, a) => s.plus(a.quantity), ZERO);
          expect(closed.eq(r.filledQuantity)).toBe(true);
          for (const a of r.accounts!) expect(d(a.quantity).lte(c.counterparties.find((p) => p.accountId === a.accountId)!.size)).toBe(true);
          const g = d(r.metrics.gini);
          expect(g.gte(0) && g.lte(1)).toBe(true);
          if (r.policy === "capped-pro-rata") expect(r.metrics.principalTouched).toBe(0);
          // One bankrupt position: exactly the policy's own plan from the starting state.
          if (bankrupts.length === 1 && !r.policy.startsWith("queue:")) {
            const own = ALLOCATING_POLICIES[r.policy as (typeof NAMES)[number]]({ ...toInput(c), quantity: requested, price: d(bankrupts[0]!.bankruptcyPrice) });
            expect(r.events![0]!.fills).toEqual(own.fills);
          }
        }
        expect(comparePolicies(req)).toEqual(out);
      });

  it("every policy accounts for every contract, capped-pro-rata never touches principal over the event, results repeat", () => {
    fc.assert(eventProperty(), { numRuns: 150 });
  });

  it("regression: an inverse account whose entry equals the ADL price gives exactly its uPnL, not more (exact principal check)", () => {
    // Found by fast-check (about 1 in 3,000 draws): 160-digit quotients along two paths differed in the last digit.
    fc.assert(eventProperty(), { seed: 1174132715, path: "3105:517:3:0:0:0:0:0:5", endOnFailure: true });
  });
});

describe("leverage-draining reaches a common leverage", () => {
  it("no account it cut ends more than a lot below any other account's leverage (equity held at mark)", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const input = toInput(c);
        const equity = c.counterparties.map((p) => equityAt(c.market, p, input.mark));
        fc.pre(equity.every((w) => w.gt(0)));
        const got = byAccount(ALLOCATING_POLICIES["leverage-draining"](input));
        const lot = c.market.lotSize;
        // Leverage after, up to the common factor notional-per-contract: (Q - q) / W, in lots.
        const left = c.counterparties.map((p) => p.size.minus(got.get(p.accountId) ?? ZERO).div(lot));
        c.counterparties.forEach((a, i) => {
          if (!got.has(a.accountId)) return;
          c.counterparties.forEach((_, j) => {
            // (left_j - 1)/W_j <= (left_i + 1)/W_i, cross-multiplied (W > 0).
            expect(left[j]!.minus(1).times(equity[i]!).lte(left[i]!.plus(1).times(equity[j]!))).toBe(true);
          });
        });
      }),
      { numRuns: 400 },
    );
  });
});
