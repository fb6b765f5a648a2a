import { describe, expect, it } from "vitest";
import {
  Decimal,
  amountToWire,
  parseDecimal,
  parseNonNegative,
  parsePositive,
  parseRate,
  ratioToWire,
  roundToDecimals,
  roundToStep,
  toWire,
} from "../../src/domain/num/decimal";
import { domainIssue as issueOf } from "./helpers";

describe("parseDecimal", () => {
  it.each(["0", "1", "-1", "12.5", "0.00000001", "-0.5", "1.50", "123456789012345678901234567890.0123456789"])(
    "valid: %s",
    (s) => {
      expect(parseDecimal(s, "/x").eq(new Decimal(s))).toBe(true);
    },
  );

  it.each([
    ["1e5", "exponent_notation"],
    ["1.5E-3", "exponent_notation"],
    ["+1", "not_decimal"],
    ["01", "not_decimal"],
    ["-00.5", "not_decimal"],
    [" 1", "not_decimal"],
    ["1 ", "not_decimal"],
    [".5", "not_decimal"],
    ["5.", "not_decimal"],
    ["", "not_decimal"],
    ["-0", "not_decimal"],
    ["-0.00", "not_decimal"],
    ["NaN", "not_decimal"],
    ["Infinity", "not_decimal"],
    ["0x10", "not_decimal"],
    ["1,5", "not_decimal"],
    ["12345678901234567890123456789012345678901", "too_many_digits"],
    ["9".repeat(101), "too_many_digits"],
  ])("invalid: %j -> %s", (s, code) => {
    expect(issueOf(() => parseDecimal(s, "/positions/3/size"))).toMatchObject({ pointer: "/positions/3/size", code });
  });

  it.each([[1], [null], [undefined], [{}]])("invalid: non-string %j", (v) => {
    expect(issueOf(() => parseDecimal(v, "/p")).code).toBe("not_decimal");
  });

  it("counts significant digits from the first non-zero digit, so small prices are not penalised", () => {
    expect(parseDecimal("0.000000000000000000000000000000000000000000001", "/x").toFixed()).toBe(
      "0.000000000000000000000000000000000000000000001",
    );
    expect(parseDecimal("1234567890123456789012345678901234567890", "/x").toFixed()).toBe(
      "1234567890123456789012345678901234567890",
    );
  });
});

describe("parsePositive / parseNonNegative / parseRate", () => {
  it("valid: positive with allowed decimals (counted on the value)", () => {
    expect(parsePositive("1.50", "/x", 1).toFixed()).toBe("1.5");
  });
  it("invalid: zero and negative are not positive", () => {
    expect(issueOf(() => parsePositive("0", "/m")).code).toBe("not_positive");
    expect(issueOf(() => parsePositive("-3", "/m")).code).toBe("not_positive");
  });
  it("invalid: too many decimals", () => {
    expect(issueOf(() => parsePositive("1.005", "/price", 2))).toMatchObject({ code: "too_many_decimals", pointer: "/price" });
  });
  it("non-negative accepts zero, rejects negative", () => {
    expect(parseNonNegative("0", "/x").isZero()).toBe(true);
    expect(issueOf(() => parseNonNegative("-0.1", "/x")).code).toBe("negative");
  });
  it("rates lie in [0, 1)", () => {
    expect(parseRate("0.005", "/mmr").toFixed()).toBe("0.005");
    expect(issueOf(() => parseRate("1", "/mmr")).code).toBe("rate_out_of_range");
  });
});

describe("rounding helpers name their direction for both signs", () => {
  const d = (s: string) => new Decimal(s);
  it.each([
    ["1.234567891", 8, "down", "1.23456789"],
    ["1.234567891", 8, "up", "1.23456790"],
    ["-1.234567891", 8, "down", "-1.23456790"],
    ["-1.234567891", 8, "up", "-1.23456789"],
    ["0.125", 2, "half-even", "0.12"],
    ["0.135", 2, "half-even", "0.14"],
    ["2.5", 0, "half-even", "2"],
  ] as const)("%s to %i dp %s -> %s", (x, dp, mode, out) => {
    expect(roundToDecimals(d(x), dp, mode).eq(d(out))).toBe(true);
  });

  it.each([
    ["7843.137", "0.5", "up", "7843.5"],
    ["7843.137", "0.5", "down", "7843"],
    ["-7843.137", "0.5", "down", "-7843.5"],
    ["8163.5", "0.5", "down", "8163.5"],
    ["10.05", "0.1", "up", "10.1"],
  ] as const)("%s to step %s %s -> %s", (x, step, mode, out) => {
    expect(roundToStep(d(x), d(step), mode).eq(d(out))).toBe(true);
  });
});

describe("toWire", () => {
  it.each([
    ["1.500", "1.5"],
    ["-0", "0"],
    ["0.00000000", "0"],
    ["100", "100"],
    ["1e30", "1000000000000000000000000000000"],
    ["1e-30", "0.000000000000000000000000000001"],
    ["-12.340", "-12.34"],
  ])("%s -> %s", (x, out) => {
    expect(toWire(new Decimal(x))).toBe(out);
  });
  it("a value rounded up to zero from below is '0', never '-0'", () => {
    expect(amountToWire(new Decimal("-0.000000001"), "up")).toBe("0");
  });
  it("ratios are half-even at 8 places", () => {
    expect(ratioToWire(new Decimal(2).div(3))).toBe("0.66666667");
    expect(ratioToWire(new Decimal("0.000000005"))).toBe("0");
  });
});
