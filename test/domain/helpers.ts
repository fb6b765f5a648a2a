import { expect } from "vitest";
import { DomainError, type DomainIssue } from "../../src/domain/types";

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
