/**
 * Field-by-field validation that reports every bad field of an object at once instead of stopping at the first,
 * so a client fixes a request in one round trip. Plain data in, result out.
 */
import { DomainError, type DomainIssue } from "./types";

type Parsers = Record<string, () => unknown>;
type Parsed<T extends Parsers> = { [K in keyof T]: ReturnType<T[K]> };

/**
 * Runs every parser; a DomainError from one is kept and the others still run. Throws one DomainError with all the
 * issues if any parser failed; anything else thrown (a bug) propagates unchanged.
 */
export function parseFields<T extends Parsers>(parsers: T): Parsed<T> {
  const issues: DomainIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, parse] of Object.entries(parsers)) {
    try {
      out[key] = parse();
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      issues.push(...e.issues);
    }
  }
  if (issues.length > 0) throw new DomainError(issues);
  return out as Parsed<T>;
}

/** Throws a DomainError with a single issue. */
export function fail(pointer: string, code: string, message: string): never {
  throw new DomainError([{ pointer, code, message }]);
}
