/**
 * ranking/fast/number.ts decimalNumber is Number: on decimal strings around its 15-digit fast path (leading and
 * trailing zeros, a bare point at either end, halfway cases), on the wire's decimals and on arbitrary text.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { decimalNumber } from "../../src/domain/ranking/fast/number";

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom("0", "1", "2", "5", "9", "0", "0"), minLength: min, maxLength: max });

const decimalText = fc.oneof(
  fc.tuple(digits(0, 17), fc.boolean(), digits(0, 17)).map(([i, point, f]) => (point ? `${i}.${f}` : i + f)),
  fc.tuple(fc.constantFrom("", "-", "+", " ", "0x", "1e"), digits(1, 8), fc.constantFrom("", ".", ".5", "e3", " ", "..1")).map(([a, b, c]) => a + b + c),
  // Just above and below the halfway points of doubles: 2^53 + 1, 0.1 + tiny, 9007199254740993.
  fc.constantFrom("9007199254740993", "900719925474099.3", "0.30000000000000004", "0.1000000000000000055511151231257827", "999999999999999", "999999999999999.9", "0.000000000000001", "."),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 }).map((d) => String(d)),
  fc.string({ maxLength: 20 }),
);

it("decimalNumber(s) is Number(s), bit for bit", () => {
  fc.assert(
    fc.property(decimalText, (s) => {
      expect(Object.is(decimalNumber(s), Number(s))).toBe(true);
    }),
    { numRuns: 20000 },
  );
});
