/** The decimal formats openapi.yaml publishes (pattern + maxLength) accept exactly what the validator accepts. */
import fc from "fast-check";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { openApiYaml } from "../../scripts/openapi-document";
import { DecimalString, NonNegativeDecimal, PositiveDecimal } from "../../src/http/schemas/common";

const doc = parse(openApiYaml()) as { components: { schemas: Record<string, { properties: Record<string, { pattern?: string; maxLength?: number }> }> } };
const published = (schema: string, field: string) => {
  const p = doc.components.schemas[schema]!.properties[field]!;
  expect(p.pattern, `${schema}.${field} publishes a pattern`).toBeTypeOf("string");
  expect(p.maxLength, `${schema}.${field} publishes maxLength`).toBeTypeOf("number");
  const re = new RegExp(p.pattern!, "u");
  return (s: string) => s.length <= p.maxLength! && re.test(s);
};

const sample = fc.oneof(
  fc.constantFrom("0", "-0", "1", "-1", "0.5", "00.5", "1.", ".5", "+1", "1e5", " 1", "1 ", "0.0", "-0.0", "0.000", "١", "", "-", "1.50"),
  fc.stringMatching(/^-?\d{1,45}(\.\d{0,45})?$/),
  fc.stringMatching(/^-?0\.0{0,60}[1-9]\d{0,30}$/),
  fc.string({ maxLength: 12 }),
);

it.each([
  ["Position", "accountValue", DecimalString],
  ["Position", "size", PositiveDecimal],
  ["RiskRequest", "maintenanceMarginRate", NonNegativeDecimal],
] as const)("%s.%s: published pattern and validator agree", (schema, field, validator) => {
  const accepts = published(schema, field);
  let acceptedByBoth = 0;
  fc.assert(
    fc.property(sample, (s) => {
      const ok = validator.safeParse(s).success;
      expect(accepts(s)).toBe(ok);
      if (ok) acceptedByBoth++;
    }),
    { numRuns: 5_000 },
  );
  expect(acceptedByBoth).toBeGreaterThan(500);
});
