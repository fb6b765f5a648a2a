/**
 * What an authenticated request carries: the key's id, tenant, scopes and rate-limit tier. Apart from auth.ts so
 * src/env.ts can name it without importing the middleware (which imports env.ts: an import circle).
 */
export const SCOPES = ["adl:compute", "fund:read", "fund:write", "liquidations:write", "simulations:run", "simulations:read", "webhooks:write"] as const;
export type Scope = (typeof SCOPES)[number];
export const RATE_LIMIT_TIERS = ["standard", "bulk"] as const;
export type RateLimitTier = (typeof RATE_LIMIT_TIERS)[number];

/** A configured key, as auth hands it to the rest of the request (never the key or its hash). */
export interface AuthenticatedKey {
  id: string;
  tenant: string;
  scopes: readonly Scope[];
  rateLimit: RateLimitTier;
}
