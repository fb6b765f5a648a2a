/**
 * Shared plain-data types of the pure domain core. Amounts are decimal strings at the edges (exactly as received,
 * already checked by the HTTP schemas for shape) and exact decimals/rationals inside; nothing here does I/O or reads
 * a clock.
 */
import type { ContractType, Side } from "./vocabulary";

export type { ContractType, Side } from "./vocabulary";

/** Market definition. Sizes must be whole multiples of `lotSize`; prices may not have more decimals than `tickSize`. */
export interface Market {
  contractType: ContractType;
  /** linear: base units per contract; inverse: quote (USD) face value per contract. */
  contractSize: string;
  lotSize: string;
  /** Price increment; prices with more decimal places are rejected. Default "0.00000001". */
  tickSize?: string;
}

/** One open position as the caller sends it. */
export interface PositionInput {
  accountId: string;
  side: Side;
  /** Contracts, > 0, multiple of lotSize. */
  size: string;
  entryPrice: string;
  /** Collateral backing the position (isolated margin or the cross collateral available to it), settlement asset. */
  margin: string;
  /** Account equity for account-level formulas (Binance, Hyperliquid); defaults to margin + uPnL. */
  accountValue?: string;
}

/** A precise complaint about one input field; `pointer` is an RFC 6901 JSON pointer into the request body. */
export interface DomainIssue {
  pointer: string;
  code: string;
  message: string;
}

/** Thrown by domain functions for bad or inconsistent input; the HTTP layer maps it to a 422 problem. */
export class DomainError extends Error {
  constructor(readonly issues: DomainIssue[]) {
    super(issues.map((i) => `${i.pointer}: ${i.message}`).join("; "));
    this.name = "DomainError";
  }
}
