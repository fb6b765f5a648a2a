/**
 * Per-key request budget through the Workers rate limiting binding (`[[ratelimits]]` in wrangler.toml): one counter
 * per API key in the binding of the key's tier. Over budget: 429 problem+json with Retry-After, before the body is
 * read. The binding's counters are per Cloudflare location and approximate (documented in SECURITY.md): this bounds
 * abuse and runaway bots; it is not a billing meter.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Bindings } from "../../env";
import { ProblemError } from "../problem";
import type { RateLimitTier } from "./auth";

/** The binding does not say when its window ends; every tier's `simple.period` in wrangler.toml is this long. */
export const RATE_LIMIT_PERIOD_SECONDS = 10;
/**
 * Requests per period of each tier: the `simple.limit` of its binding in wrangler.toml (a binding cannot be asked for
 * its limit at run time; test/node/rate-limit-policy.test.ts checks the two agree).
 */
export const RATE_LIMIT_QUOTAS: Readonly<Record<RateLimitTier, number>> = { standard: 300, bulk: 20_000 };

const bindingOf = (env: Bindings | undefined, tier: RateLimitTier) => (tier === "bulk" ? env?.RATE_LIMIT_BULK : env?.RATE_LIMIT);

/**
 * `RateLimit-Policy` of a tier (draft-ietf-httpapi-ratelimit-headers-09, section 4): one policy item, a String naming
 * the tier, with quota `q` requests per window `w` seconds, e.g. `"standard";q=300;w=10`.
 */
export function rateLimitPolicyField(tier: RateLimitTier): string {
  return `"${tier}";q=${RATE_LIMIT_QUOTAS[tier]};w=${RATE_LIMIT_PERIOD_SECONDS}`;
}

/**
 * Quota headers on every /v1 response, so a bot knows its budget before it meets a 429: `RateLimit-Policy` names the
 * caller's tier (an anonymous or refused caller sees the default tier, "standard", the one a new key gets). The
 * binding does not report what is left of the window, so the current-state field `RateLimit` (section 5) is sent only
 * when it is known: on a 429, `r=0` with `t` the Retry-After (the longest the window can still last). A deployment
 * without the tier's binding has no limit, and says nothing.
 */
export function rateLimitHeaders(): MiddlewareHandler<AppEnv> {
  return async function rateLimitHeadersMiddleware(c, next) {
    await next();
    const tier = c.get("apiKey")?.rateLimit ?? "standard";
    if (!bindingOf(c.env, tier)) return;
    c.res.headers.set("RateLimit-Policy", rateLimitPolicyField(tier));
    if (c.res.status === 429) c.res.headers.set("RateLimit", `"${tier}";r=0;t=${RATE_LIMIT_PERIOD_SECONDS}`);
  };
}

export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    const key = c.get("apiKey");
    if (!key) return next();
    const binding = bindingOf(c.env, key.rateLimit);
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
