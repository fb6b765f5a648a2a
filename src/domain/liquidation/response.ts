/**
 * The waterfall's answer as the route returns it (the `Liquidation` schema in src/http/schemas/fund.ts), built once
 * from the outcome (written as strings by wire.ts) and the ledger entries as booked. The Durable Object stores
 * exactly these bytes, so a replay and a read by id return what the first call returned. Field order is part of the
 * bytes: keep it.
 */
import type { Fill } from "../fills";
import type { LiquidationOutcome } from "./liquidate";
import { type FundDecisionWire, type SettlementWire, outcomeToWire } from "./wire";

export interface LiquidationResult<Entry> {
  liquidationId: string;
  marketId: string;
  bankruptcyPrice: string;
  executions: Pick<FundDecisionWire["executions"][number], "quantity" | "requestedQuantity" | "price" | "fundDelta" | "returnedToAccount">[];
  fund: { balanceBefore: string; credited: string; drawn: string; balanceAfter: string; effectiveFloor: string; drawCapacity: string; adlActive: boolean };
  adl: { quantity: string; price: string; fills: Fill[]; filledQuantity: string; transferred: string; pieces: SettlementWire["pieces"] };
  socializedLoss: string;
  unfilledQuantity: string;
  returnedToAccount: string;
  conservation: SettlementWire["conservation"];
  ledgerEntries: Entry[];
  createdAt: string;
}

export function liquidationResult<Entry>(
  outcome: Pick<LiquidationOutcome, "accountId" | "decision" | "adl" | "settlement">,
  ids: { liquidationId: string; marketId: string; createdAt: string },
  ledgerEntries: Entry[],
): LiquidationResult<Entry> {
  const { decision: d, settlement: s, adl } = outcomeToWire(outcome);
  const plan = adl.plan;
  return {
    liquidationId: ids.liquidationId,
    marketId: ids.marketId,
    bankruptcyPrice: d.bankruptcyPrice,
    executions: d.executions.map((e) => ({ quantity: e.quantity, requestedQuantity: e.requestedQuantity, price: e.price, fundDelta: e.fundDelta, returnedToAccount: e.returnedToAccount })),
    fund: { ...d.fund, effectiveFloor: d.effectiveFloor, drawCapacity: d.drawCapacity, adlActive: d.adlActiveAfter },
    adl: {
      quantity: d.adlQuantity,
      price: plan?.price ?? adl.price,
      fills: plan?.fills ?? [],
      filledQuantity: plan?.filledQuantity ?? "0",
      transferred: s.adlTransferred,
      pieces: s.pieces,
    },
    socializedLoss: s.socializedLoss,
    unfilledQuantity: s.unfilledQuantity,
    returnedToAccount: s.returnedToAccount,
    conservation: s.conservation,
    ledgerEntries,
    createdAt: ids.createdAt,
  };
}
