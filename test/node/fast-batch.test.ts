import fc from "fast-check";
import { expect, it } from "vitest";
import { isValidPosition } from "../../src/http/fast-batch";
import { Position } from "../../src/http/schemas/engine";

const decimalish = fc.oneof(
  fc.constantFrom("1", "0", "-1", "0.5", "00.5", "1e5", "1E-3", "+1", "1.", ".5", " 1", "1 ", "-0", "0.0", "0.000", "1.50", "١", "Infinity", "NaN", ""),
  fc.stringMatching(/^-?\d{1,45}(\.\d{0,42})?$/),
  fc.string(),
  fc.double().map(String),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 2 }),
);
const idish = fc.oneof(fc.string({ minLength: 0, maxLength: 140 }), fc.string({ unit: "binary", maxLength: 10 }), fc.stringMatching(/^[\x21-\x7E]{1,130}$/), fc.integer());
const positionish = fc.oneof(
  fc.record(
    {
      accountId: idish,
      side: fc.oneof(fc.constantFrom("long", "short", "LONG", "", "buy"), fc.integer()),
      size: decimalish,
      entryPrice: decimalish,
      margin: decimalish,
      accountValue: decimalish,
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
);

it("the fast loop accepts exactly what the zod Position schema accepts", () => {
  fc.assert(
    fc.property(positionish, (p) => {
      expect(isValidPosition(p)).toBe(Position.safeParse(p).success);
    }),
    { numRuns: 20_000 },
  );
});

it("valid positions are accepted by both", () => {
  fc.assert(
    fc.property(
      fc.stringMatching(/^[\x21-\x7E]{1,128}$/),
      fc.constantFrom("long", "short"),
      fc.stringMatching(/^[1-9]\d{0,10}(\.\d{1,8})?$/),
      fc.option(fc.stringMatching(/^-?[1-9]\d{0,10}(\.\d{1,8})?$/), { nil: undefined }),
      (accountId, side, n, accountValue) => {
        const p = { accountId, side, size: n, entryPrice: n, margin: n, ...(accountValue ? { accountValue } : {}) };
        expect(isValidPosition(p)).toBe(true);
        expect(Position.safeParse(p).success).toBe(true);
      },
    ),
  );
});
