/** The quotas RateLimit-Policy announces are the ones wrangler.toml configures for the rate limiting bindings. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { RATE_LIMIT_PERIOD_SECONDS, RATE_LIMIT_QUOTAS, rateLimitPolicyField } from "../../src/http/middleware/rate-limit";

it("valid: each tier's q and w equal its [[ratelimits]] simple.limit and simple.period", () => {
  const toml = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");
  const blocks = [...toml.matchAll(/\[\[ratelimits\]\]\s*\nname = "([A-Z_]+)"\s*\nnamespace_id = "[0-9]+"\s*\nsimple = \{ limit = ([0-9]+), period = ([0-9]+) \}/g)];
  const byName = Object.fromEntries(blocks.map((m) => [m[1], { limit: Number(m[2]), period: Number(m[3]) }]));
  expect(byName).toEqual({
    RATE_LIMIT: { limit: RATE_LIMIT_QUOTAS.standard, period: RATE_LIMIT_PERIOD_SECONDS },
    RATE_LIMIT_BULK: { limit: RATE_LIMIT_QUOTAS.bulk, period: RATE_LIMIT_PERIOD_SECONDS },
  });
  expect(rateLimitPolicyField("standard")).toBe(`"standard";q=${byName.RATE_LIMIT!.limit};w=${byName.RATE_LIMIT!.period}`);
});
