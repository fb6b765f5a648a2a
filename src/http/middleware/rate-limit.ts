/**
 * Per-key request budget through the Workers rate limiting binding (`[[ratelimits]]` in wrangler.toml): one counter
 * per API key in the binding of the key's tier. Over budget: 429 problem+json with Retry-After, before the body is
 * read. The binding's counters are per Cloudflare location and approximate (documented in SECURITY.md): this bounds
 * abuse and runaway bots; it is not a billing meter.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { ProblemError } from "../problem";

/** The binding does not say when its window ends; every tier's `simple.period` in wrangler.toml is this long. */
export const RATE_LIMIT_PERIOD_SECONDS = 10;

export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    const key = c.get("apiKey");
    if (!key) return next();
    const binding = key.rateLimit === "bulk" ? c.env?.RATE_LIMIT_BULK : c.env?.RATE_LIMIT;
    // No binding (a deployment without [[ratelimits]]) means no limit, not an outage; an error of the limiter itself
    // fails open for the same reason, and is logged.
    if (!binding) return next();
    let success = true;
    try {
      ({ success } = await binding.limit({ key: `key:${key.id}` }));
    } catch (e) {
      console.error(JSON.stringify({ level: "error", msg: "rate limiter failed; request allowed", requestId: c.get("requestId"), error: String((e as Error)?.message ?? e) }));
    }
    if (!success) {
      throw new ProblemError(
        "rate-limited",
        `API key ${key.id} is over its ${key.rateLimit} request budget; retry after ${RATE_LIMIT_PERIOD_SECONDS} s`,
        undefined,
        { retryAfterSeconds: RATE_LIMIT_PERIOD_SECONDS },
        { "Retry-After": String(RATE_LIMIT_PERIOD_SECONDS) },
      );
    }
    return next();
  };
}
