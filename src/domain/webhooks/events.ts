/**
 * Webhook events: which fund transitions become which event, and the body each carries. Pure: the caller passes the
 * state before and after one committed mutation, the event ids and the time; nothing here reads a clock or storage.
 *
 * The body is `{ id, type, created, data }` (Stripe's envelope). `id` is fixed when the event is written to the
 * market's outbox, so every delivery attempt of one event carries the same id and receivers deduplicate by it.
 */

import type { Side } from "../vocabulary";

export const EVENT_TYPES = ["liquidation.adl", "liquidation.socialized_loss", "adl.activated", "adl.deactivated", "fund.below_floor"] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Sent only by POST /v1/webhook-endpoints/{id}/test, to that endpoint, whatever it subscribed to. */
export const TEST_EVENT_TYPE = "webhook.test";
export type AnyEventType = EventType | typeof TEST_EVENT_TYPE;

export interface WebhookEvent {
  id: string;
  type: AnyEventType;
  /** ISO 8601 time of the ledger change that caused the event (the same on every attempt). */
  created: string;
  data: Record<string, unknown>;
}

/** What the market object knows about its fund just before and just after one mutation (decimal strings). */
export interface FundSnapshot {
  balance: string;
  adlActive: boolean;
  /** The configured floor at that moment (a configuration change can move it). */
  floor: string;
}

/** The fund's side of a liquidation, as the market object decided it (FundDecision's figures, as wire strings). */
export interface LiquidationFacts {
  liquidationId: string;
  accountId: string;
  side: Side;
  size: string;
  bankruptcyPrice: string;
  /** Price the ADL fills use (bankruptcy price, or mark under priceRule "mark"). */
  adlPrice: string;
  adlQuantity: string;
  fundDrawn: string;
  fundCredited: string;
  /** Loss nobody covered, when the object knows it (null until the liquidation settles ADL inside the object). */
  socializedLoss: string | null;
  unfilledQuantity: string | null;
}

export interface TransitionInput {
  marketId: string;
  asset: string;
  /** Compares decimal strings exactly (the caller's decimal library; this module does no arithmetic). */
  compare(a: string, b: string): number;
  before: FundSnapshot;
  after: FundSnapshot;
  /** The ledger sequence numbers the mutation appended (empty for a configuration change). */
  ledgerSequences: number[];
  /** The liquidations the mutation booked, in booking order (one for a single liquidation, each item of a batch). */
  liquidations?: readonly LiquidationFacts[];
  created: string;
  cause: { operation: string; idempotencyKey: string };
}

/** A new event without its id: the caller numbers it (ids are random, chosen inside the ledger's transaction). */
export type EventDraft = Omit<WebhookEvent, "id">;

/**
 * Events of one committed mutation, in a fixed order: the liquidations' own events first (in booking order), then the state changes it
 * caused (ADL switching, the balance crossing the floor). An idempotent replay never reaches this function, so it
 * emits nothing; a refused mutation is rolled back together with its events.
 */
export function eventsForTransition(t: TransitionInput): EventDraft[] {
  const out: EventDraft[] = [];
  const base = { marketId: t.marketId, asset: t.asset, cause: t.cause, ledgerSequences: t.ledgerSequences };
  const fund = { balanceBefore: t.before.balance, balanceAfter: t.after.balance, floor: t.after.floor };
  // `fund` is the mutation's before and after: for a batch, the whole batch's (each item's own figures are in it).
  for (const liq of t.liquidations ?? []) {
    if (t.compare(liq.adlQuantity, "0") > 0) {
      out.push({ type: "liquidation.adl", created: t.created, data: { ...base, ...liquidationData(liq), fund } });
    }
    if (liq.socializedLoss !== null && t.compare(liq.socializedLoss, "0") > 0) {
      out.push({ type: "liquidation.socialized_loss", created: t.created, data: { ...base, ...liquidationData(liq), fund } });
    }
  }
  if (!t.before.adlActive && t.after.adlActive) out.push({ type: "adl.activated", created: t.created, data: { ...base, adlActive: true, fund } });
  if (t.before.adlActive && !t.after.adlActive) out.push({ type: "adl.deactivated", created: t.created, data: { ...base, adlActive: false, fund } });
  // Crossing, not being: a fund that stays below its floor is reported once, when it goes below (by a balance change
  // or by a configuration raising the floor above the balance).
  if (t.compare(t.before.balance, t.before.floor) >= 0 && t.compare(t.after.balance, t.after.floor) < 0) {
    out.push({ type: "fund.below_floor", created: t.created, data: { ...base, fund } });
  }
  return out;
}

function liquidationData(l: LiquidationFacts): Record<string, unknown> {
  return {
    liquidationId: l.liquidationId,
    accountId: l.accountId,
    side: l.side,
    size: l.size,
    bankruptcyPrice: l.bankruptcyPrice,
    adl: { quantity: l.adlQuantity, price: l.adlPrice },
    fundDrawn: l.fundDrawn,
    fundCredited: l.fundCredited,
    socializedLoss: l.socializedLoss,
    unfilledQuantity: l.unfilledQuantity,
  };
}

/** A test event for one endpoint: a fixed, documented shape so a receiver can be checked end to end. */
export function testEventDraft(endpointId: string, created: string): EventDraft {
  return { type: TEST_EVENT_TYPE, created, data: { endpointId, message: "Test event from POST /v1/webhook-endpoints/{id}/test" } };
}
