/**
 * The pure webhook modules against issue 14's text: the production retry schedule (about 5 s, 30 s, 2 min, 10 min,
 * 1 h, then hourly for 3 days, with jitter), the ADL-Signature scheme checked against an independent node:crypto
 * verifier (the example receiver's), and which fund transitions become which events (socialised loss, the floor
 * crossed, not merely being below it).
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyAdlSignature } from "../../examples/webhook-receiver";
import { type FundSnapshot, type LiquidationFacts, type TransitionInput, eventsForTransition } from "../../src/domain/webhooks/events";
import { PRODUCTION_SCHEDULE, nextAttemptAt, parseScheduleOverride } from "../../src/domain/webhooks/retry-schedule";
import { SIGNATURE_TOLERANCE_SECONDS, signatureHeader, verifySignature } from "../../src/domain/webhooks/signature";
import { MAX_PARALLEL_SENDS, laneKey, lanes, runLanes } from "../../src/domain/webhooks/lanes";

const S = 1000;
const H = 3600 * S;

describe("production retry schedule", () => {
  it("without jitter (random 0.5): 5 s, 30 s, 2 min, 10 min, 1 h, then hourly, and nothing later than 3 days", () => {
    const first = 1_000_000;
    const gaps: number[] = [];
    let at = first;
    for (let attempt = 1; ; attempt++) {
      const next = nextAttemptAt(PRODUCTION_SCHEDULE, attempt, first, at, 0.5);
      if (next === null) break;
      gaps.push(next - at);
      at = next;
    }
    expect(gaps.slice(0, 6)).toEqual([5 * S, 30 * S, 120 * S, 600 * S, H, H]);
    expect(gaps.slice(5).every((g) => g === H)).toBe(true);
    expect(at - first).toBeLessThanOrEqual(72 * H);
    // The last attempt falls within the final hour of the 3 days: about 75 attempts in all.
    expect(at - first).toBeGreaterThan(71 * H);
    expect(gaps.length + 1).toBe(76);
  });

  it("jitter keeps each delay within +-20% (the extremes of random), rounded up to whole ms", () => {
    expect(nextAttemptAt(PRODUCTION_SCHEDULE, 1, 0, 0, 0)).toBe(4 * S);
    expect(nextAttemptAt(PRODUCTION_SCHEDULE, 1, 0, 0, 0.999999)).toBeLessThanOrEqual(6 * S);
    expect(nextAttemptAt(PRODUCTION_SCHEDULE, 2, 0, 5 * S, 0.25)).toBe(5 * S + 27 * S);
  });

  it("the test-only override replaces the delays and gives up when they end; anything malformed falls back", () => {
    const s = parseScheduleOverride("600,1200")!;
    expect(nextAttemptAt(s, 1, 0, 0, 0.5)).toBe(600);
    expect(nextAttemptAt(s, 2, 0, 600, 0.5)).toBe(1800);
    expect(nextAttemptAt(s, 3, 0, 1800, 0.5)).toBeNull();
    for (const bad of ["", "abc", "0", "5,-1", "1e3", "3600001", Array(21).fill("1").join(",")]) expect(parseScheduleOverride(bad)).toBeNull();
  });
});

describe("ADL-Signature", () => {
  const body = '{"id":"evt_1","type":"liquidation.adl","created":"2026-12-02T00:00:00.000Z","data":{"size":"2"}}';

  it("is t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t.body)>, as node:crypto computes it independently", async () => {
    const header = await signatureHeader(["whsec_a"], 1_796_000_000.9, body);
    const expected = createHmac("sha256", "whsec_a").update(`1796000000.${body}`).digest("hex");
    expect(header).toBe(`t=1796000000,v1=${expected}`);
    expect(verifyAdlSignature(header, body, ["whsec_a"], 1_796_000_000)).toEqual({ ok: true, t: 1_796_000_000 });
  });

  it("during a rotation carries two v1= values: a receiver holding either secret verifies", async () => {
    const header = await signatureHeader(["whsec_new", "whsec_old"], 1_796_000_000, body);
    expect(header.split(",").filter((p) => p.startsWith("v1="))).toHaveLength(2);
    for (const secret of ["whsec_new", "whsec_old"]) {
      expect(verifyAdlSignature(header, body, [secret], 1_796_000_000).ok).toBe(true);
      expect(await verifySignature(secret, header, body, 1_796_000_000)).toBe("ok");
    }
    expect(verifyAdlSignature(header, body, ["whsec_other"], 1_796_000_000)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("a 5-minute tolerance against replays; a changed body or a malformed header is refused", async () => {
    expect(SIGNATURE_TOLERANCE_SECONDS).toBe(300);
    const t = 1_796_000_000;
    const header = await signatureHeader(["whsec_a"], t, body);
    expect(verifyAdlSignature(header, body, ["whsec_a"], t + 300).ok).toBe(true);
    expect(verifyAdlSignature(header, body, ["whsec_a"], t + 301)).toEqual({ ok: false, reason: "outside-tolerance" });
    expect(await verifySignature("whsec_a", header, body, t - 301)).toBe("outside-tolerance");
    expect(await verifySignature("whsec_a", header, body.replace('"2"', '"3"'), t)).toBe("mismatch");
    expect(await verifySignature("whsec_a", "v1=abc", body, t)).toBe("malformed");
  });
});

describe("which transitions become events", () => {
  const snap = (balance: string, adlActive: boolean, floor = "1000"): FundSnapshot => ({ balance, adlActive, floor });
  const liq = (over: Partial<LiquidationFacts> = {}): LiquidationFacts => ({
    liquidationId: "liq_1",
    accountId: "b1",
    side: "long",
    size: "2",
    bankruptcyPrice: "10000",
    adlPrice: "10000",
    adlQuantity: "0",
    fundDrawn: "0",
    fundCredited: "0",
    socializedLoss: null,
    unfilledQuantity: null,
    ...over,
  });
  const compare = (a: string, b: string) => Math.sign(Number(a) - Number(b));
  const types = (t: Partial<TransitionInput>) =>
    eventsForTransition({ marketId: "M", asset: "USDT", compare, before: snap("1500", false), after: snap("1500", false), ledgerSequences: [1], created: "2026-12-02T00:00:00.000Z", cause: { operation: "liquidation", idempotencyKey: "k" }, ...t }).map((e) => e.type);

  it("a liquidation with ADL and an uncovered loss: liquidation.adl, liquidation.socialized_loss, then the state changes", () => {
    expect(types({ liquidations: [liq({ adlQuantity: "2", socializedLoss: "12.5", unfilledQuantity: "0.5" })], before: snap("1500", false), after: snap("0", true) })).toEqual([
      "liquidation.adl",
      "liquidation.socialized_loss",
      "adl.activated",
      "fund.below_floor",
    ]);
    expect(types({ liquidations: [liq({ socializedLoss: "0" })] })).toEqual([]);
  });

  it("fund.below_floor on crossing only: not again while it stays below; a raised floor crosses too", () => {
    expect(types({ before: snap("1000", false), after: snap("999.99", false) })).toEqual(["fund.below_floor"]);
    expect(types({ before: snap("900", false), after: snap("800", false) })).toEqual([]);
    expect(types({ before: snap("1500", false, "1000"), after: snap("1500", false, "2000") })).toEqual(["fund.below_floor"]);
  });

  it("adl.deactivated when the rule switches off; a batch lists each item's events in item order", () => {
    expect(types({ before: snap("500", true), after: snap("5000", false) })).toEqual(["adl.deactivated"]);
    const events = eventsForTransition({
      ...{ marketId: "M", asset: "USDT", compare, before: snap("1500", false), after: snap("1500", false), ledgerSequences: [1, 2], created: "c", cause: { operation: "liquidation-batch", idempotencyKey: "k" } },
      liquidations: [liq({ liquidationId: "liq_a", adlQuantity: "1" }), liq({ liquidationId: "liq_b" }), liq({ liquidationId: "liq_c", adlQuantity: "3" })],
    });
    expect(events.map((e) => [e.type, e.data.liquidationId])).toEqual([
      ["liquidation.adl", "liq_a"],
      ["liquidation.adl", "liq_c"],
    ]);
  });
});

describe("delivery lanes", () => {
  const due = [
    { id: 1, ep: "we_a", market: "BTC" },
    { id: 2, ep: "we_a", market: "ETH" },
    { id: 3, ep: "we_a", market: "BTC" },
    { id: 4, ep: "we_b", market: "BTC" },
    { id: 5, ep: "we_a", market: null },
    { id: 6, ep: "we_a", market: "ETH" },
  ];
  const key = (d: (typeof due)[number]) => laneKey(d.ep, d.market);

  it("one lane per (endpoint, market), each in due order, lanes in order of their first delivery", () => {
    expect(lanes(due, key).map((l) => l.map((d) => d.id))).toEqual([[1, 3], [2, 6], [4], [5]]);
    expect(laneKey("we_a", "X")).not.toBe(laneKey("we_aX", null));
  });

  it("a lane is sent one attempt at a time in order; lanes overlap, never more than the cap in flight", async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ id: i, ep: "we_a", market: `M${i % 10}` }));
    const started: number[] = [];
    const finished = new Set<number>();
    let inFlight = 0;
    let peak = 0;
    await runLanes(lanes(many, key), MAX_PARALLEL_SENDS, async (d) => {
      // The previous delivery of the same lane has finished before this one starts.
      if (d.id >= 10) expect(finished.has(d.id - 10)).toBe(true);
      started.push(d.id);
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 1 + (d.id % 3)));
      inFlight--;
      finished.add(d.id);
    });
    expect(finished.size).toBe(40);
    expect(peak).toBe(MAX_PARALLEL_SENDS);
    expect(started.slice(0, MAX_PARALLEL_SENDS)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("fewer lanes than the cap: one worker per lane; no lanes: nothing runs", async () => {
    let calls = 0;
    await runLanes([], MAX_PARALLEL_SENDS, async () => void calls++);
    expect(calls).toBe(0);
    const order: number[] = [];
    await runLanes(lanes(due.slice(0, 3), key), MAX_PARALLEL_SENDS, async (d) => void order.push(d.id));
    expect(order.sort()).toEqual([1, 2, 3]);
  });
});
