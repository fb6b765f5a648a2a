import { describe, expect, it } from "vitest";
import { closestMember, editDistance, unknownMemberDetail } from "../../src/http/schemas/strict";

describe("suggestions for unknown member names", () => {
  it("edit distance counts insertions, deletions, substitutions and adjacent swaps", () => {
    expect(editDistance("fundFlor", "fundFloor")).toBe(1);
    expect(editDistance("liquidationConvension", "liquidationConvention")).toBe(1);
    expect(editDistance("sizee", "size")).toBe(1);
    expect(editDistance("mragin", "margin")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abc", "abc")).toBe(0);
  });

  it("suggests the same name in another case, or one within one edit per four characters (none under four characters, at most 3)", () => {
    const known = ["market", "markPrice", "priceRule", "fundFloor", "adlTrigger", "seed"];
    expect(closestMember("pricerule", known)).toBe("priceRule");
    expect(closestMember("PRICERULE", known)).toBe("priceRule");
    expect(closestMember("fundFlor", known)).toBe("fundFloor");
    expect(closestMember("adlTriger", known)).toBe("adlTrigger");
    expect(closestMember("sed", known)).toBe("seed");
    expect(closestMember("zzz", known)).toBeUndefined();
    expect(closestMember("price", known)).toBeUndefined();
    expect(closestMember("x".repeat(10_000), known)).toBeUndefined();
  });

  it("on a tie the first declared name wins, so the answer is stable", () => {
    expect(closestMember("abcd", ["abce", "abcf"])).toBe("abce");
    expect(closestMember("abcd", ["abcf", "abce"])).toBe("abcf");
    expect(closestMember("q", ["a"])).toBeUndefined();
  });

  it("the detail names the member, then the suggestion or the accepted names", () => {
    expect(unknownMemberDetail("fundFlor", ["fundFloor"])).toBe('unknown member "fundFlor": did you mean fundFloor?');
    expect(unknownMemberDetail("q", ["a", "b"])).toBe('unknown member "q": expected one of a, b');
    expect(unknownMemberDetail("q", [], "query parameter")).toBe('unknown query parameter "q": none are accepted here');
    expect(unknownMemberDetail("y".repeat(100), ["a"])).toBe(`unknown member "${"y".repeat(64)}...": expected one of a`);
  });
});
