import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/domain/num/decimal";
import { checkLotMultiple, lotsOf, parseMarket, parsePrice, parseSize, roundPriceToTick } from "../../src/domain/market";
import { domainIssue, domainIssues } from "./helpers";

const linear = parseMarket({ contractType: "linear", contractSize: "0.001", lotSize: "0.1", tickSize: "0.5" });

describe("parseMarket", () => {
  it("valid: defaults the tick to 1e-8", () => {
    const m = parseMarket({ contractType: "inverse", contractSize: "1", lotSize: "1" });
    expect(m.tickSize.toFixed()).toBe("0.00000001");
    expect(m.tickDecimals).toBe(8);
  });
  it("valid: tick decimals come from the tick value", () => {
    expect(linear.tickDecimals).toBe(1);
    expect(parseMarket({ contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.10" }).tickDecimals).toBe(1);
  });
  it("invalid: reports every bad field at once with its pointer", () => {
    const issues = domainIssues(() =>
      parseMarket({ contractType: "quanto" as never, contractSize: "0", lotSize: "-1", tickSize: "1e-2" }, "/market"),
    );
    expect(issues.map((i) => [i.pointer, i.code])).toEqual([
      ["/market/contractType", "invalid_contract_type"],
      ["/market/contractSize", "not_positive"],
      ["/market/lotSize", "not_positive"],
      ["/market/tickSize", "exponent_notation"],
    ]);
  });
});

describe("sizes and prices", () => {
  it("valid: a whole number of lots", () => {
    expect(parseSize(linear, "2.3", "/q").toFixed()).toBe("2.3");
    expect(lotsOf(linear, new Decimal("2.3"))).toBe(23n);
  });
  it("invalid: not a lot multiple", () => {
    expect(domainIssue(() => parseSize(linear, "2.35", "/positions/0/size"))).toMatchObject({
      pointer: "/positions/0/size",
      code: "not_lot_multiple",
    });
    expect(() => checkLotMultiple(linear, new Decimal("0.3"), "/q")).not.toThrow();
  });
  it("invalid: more decimals than the tick", () => {
    expect(domainIssue(() => parsePrice(linear, "100.25", "/price")).code).toBe("too_many_decimals");
    expect(parsePrice(linear, "100.3", "/price").toFixed()).toBe("100.3");
  });
  it("rounds onto the tick grid in the named direction", () => {
    expect(roundPriceToTick(linear, new Decimal("100.3"), "up").toFixed()).toBe("100.5");
    expect(roundPriceToTick(linear, new Decimal("100.3"), "down").toFixed()).toBe("100");
  });
});
