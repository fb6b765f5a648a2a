import { expect } from "vitest";
import { type LiquidationOutcome, type LiquidationWire, outcomeToWire } from "../../src/domain/liquidation";
import { DomainError, type DomainIssue } from "../../src/domain/types";

/**
 * A liquidation outcome with its decision, ADL price and settlement written as the route writes them (decimal
 * strings, liquidation/wire.ts); entries and fundAfter stay Decimals. For examples stated in wire strings.
 */
export function withWire<T extends Pick<LiquidationOutcome, "accountId" | "decision" | "adl" | "settlement">>(o: T) {
  return { ...o, ...outcomeToWire(o) } as Omit<T, keyof LiquidationWire> & LiquidationWire;
}

/** Runs `fn`, expects it to throw a DomainError, and returns its issues. */
export function domainIssues(fn: () => unknown): DomainIssue[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).issues;
  }
  throw new Error("expected a DomainError");
}

/** The first issue of the DomainError thrown by `fn`. */
export function domainIssue(fn: () => unknown): DomainIssue {
  const [first] = domainIssues(fn);
  if (!first) throw new Error("DomainError without issues");
  return first;
}
