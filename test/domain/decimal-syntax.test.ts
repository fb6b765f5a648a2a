/**
 * The two lexical rules of src/domain/num/decimal-syntax.ts differ exactly where its header says: neither contains
 * the other. Pins the examples it names, so a change to either rule shows up here first.
 */
import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/types";
import { parseDecimal } from "../../src/domain/num/decimal";
import { DECIMAL_MAX_LENGTH, EDGE_DECIMAL_RE, EDGE_PARAM_DECIMAL_RE, EDGE_POSITIVE_RE } from "../../src/domain/num/decimal-syntax";

const wire = (s: string) => s.length <= DECIMAL_MAX_LENGTH && EDGE_DECIMAL_RE.test(s);
const domain = (s: string) => {
  try {
    parseDecimal(s, "/x");
    return true;
  } catch (e) {
    if (e instanceof DomainError) return false;
    throw e;
  }
};

describe("decimal syntax: the wire rule and the domain rule", () => {
  it("a tiny number with more than 40 fraction digits is a domain decimal, not a wire decimal", () => {
    const s = `0.${"0".repeat(45)}1`;
    expect(domain(s)).toBe(true);
    expect(wire(s)).toBe(false);
    expect(EDGE_POSITIVE_RE.test(s)).toBe(false);
  });
  it("a 41-digit number is a wire decimal, not a domain decimal (too many significant digits)", () => {
    const s = `${"9".repeat(40)}.5`;
    expect(wire(s)).toBe(true);
    expect(EDGE_POSITIVE_RE.test(s)).toBe(true);
    expect(domain(s)).toBe(false);
  });
  it("negative zero is a wire decimal (signed pattern), not a domain decimal", () => {
    for (const s of ["-0", "-0.00"]) expect([s, wire(s), domain(s)]).toEqual([s, true, false]);
    expect(EDGE_POSITIVE_RE.test("-0")).toBe(false);
  });
  it("both agree on the common shapes", () => {
    for (const s of ["0", "1", "-1.5", "1.50", "123456.789"]) expect([s, wire(s), domain(s)]).toEqual([s, true, true]);
    for (const s of ["", "+1", "01", "1.", ".5", "1e5", " 1", "1 "]) expect([s, wire(s), domain(s)]).toEqual([s, false, false]);
  });
  it("the simulation parameters' pattern is the signed wire pattern spelled with capturing groups", () => {
    for (const s of ["0", "-0.25", `${"9".repeat(40)}.${"1".repeat(40)}`, `${"9".repeat(41)}`, "1e5", "-", "0.", `1.${"0".repeat(41)}`]) {
      expect([s, EDGE_PARAM_DECIMAL_RE.test(s)]).toEqual([s, EDGE_DECIMAL_RE.test(s)]);
    }
  });
});
