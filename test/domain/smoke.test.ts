import { expect, it } from "vitest";
import Decimal from "decimal.js";
it("decimal.js is exact for decimal input", () => {
  expect(new Decimal("0.1").plus("0.2").toFixed()).toBe("0.3");
});
