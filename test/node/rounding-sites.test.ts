/**
 * One numeric vocabulary (issue 11): every decimal rounding in src goes through the named helpers of
 * src/domain/num/decimal.ts (roundToDecimals / roundToStep with a RoundingMode "down" | "up" | "half-even", amountToWire,
 * ratioToWire), so each site names its direction; no other file reaches for decimal.js' rounding constants or its
 * rounding methods. The checker is tested on a line that breaks the rule and on lines that keep it.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
/** The numeric vocabulary (src/domain/num/) is the one place allowed to call decimal.js' rounding: it defines the modes. */
const inVocabulary = (f: string) => f.startsWith("src/domain/num/");
const RAW_ROUNDING = /\bROUND_(UP|DOWN|CEIL|FLOOR|HALF_UP|HALF_DOWN|HALF_EVEN|HALF_CEIL|HALF_FLOOR)\b|\.toDecimalPlaces\(|\.toDP\(|\.toNearest\(|\.toSignificantDigits\(|\.toSD\(/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

export function rawRoundings(path: string, text: string): string[] {
  return text.split("\n").flatMap((line, i) => (RAW_ROUNDING.test(line) && !/^\s*(\*|\/\/)/.test(line) ? [`${path}:${i + 1}: ${line.trim()}`] : []));
}

describe("rounding sites", () => {
  it("valid: no file in src outside the numeric vocabulary rounds with decimal.js directly", () => {
    const offenders = files(join(root, "src"))
      .map((f) => relative(root, f))
      .filter((f) => !inVocabulary(f))
      .flatMap((f) => rawRoundings(f, readFileSync(join(root, f), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("invalid: the checker names a raw rounding and passes named ones and comments", () => {
    expect(rawRoundings("x.ts", "const a = b.toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN).toFixed();")).toEqual(["x.ts:1: const a = b.toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN).toFixed();"]);
    expect(rawRoundings("x.ts", "const t = price.toNearest(tick);")).toHaveLength(1);
    expect(rawRoundings("x.ts", 'const a = roundToDecimals(b, 8, "half-even");\n// b.toDecimalPlaces( in a comment\n * ROUND_UP in a doc line')).toEqual([]);
  });
});
