/** Bindings of the Worker, one type used everywhere (Hono's `Env` generic, the Durable Object, tests). */
export interface Bindings {
  MARKET_FUND: DurableObjectNamespace<import("./durable-objects/market-fund").MarketFund>;
  /** One object per tenant: the directory of its markets (Durable Objects cannot be enumerated). */
  TENANT_DIRECTORY: DurableObjectNamespace<import("./durable-objects/tenant-directory").TenantDirectory>;
  /** The built pages and their assets (`[assets]` in wrangler.toml, dist/pages from scripts/build-pages.mjs). */
  ASSETS?: Fetcher;
  /** One per tenant: its stress runs, their progress and results (src/durable-objects/simulation-runs.ts). */
  SIMULATION_RUNS: DurableObjectNamespace<import("./durable-objects/simulation-runs").SimulationRuns>;
  /** The fan-out of large stress runs ([[workflows]] in wrangler.toml). */
  SIMULATIONS_WORKFLOW: Workflow<import("./workflows/simulation-workflow").SimulationParams>;
  /** One object per tenant: webhook endpoints, their secrets, events and deliveries (src/durable-objects/webhook-hub.ts). */
  WEBHOOK_HUB: DurableObjectNamespace<import("./durable-objects/webhook-hub").WebhookHub>;
  MAX_BODY_BYTES?: string;
  /**
   * "true" lets webhook endpoints be loopback URLs (http://127.0.0.1:port/...). Local development only: `npm start`
   * passes it (scripts/start.mjs); wrangler.toml never sets it, so a deployed Worker refuses loopback URLs.
   */
  WEBHOOKS_ALLOW_LOOPBACK?: string;
  /**
   * DNS-over-HTTPS JSON endpoint that webhook hosts are resolved through before creation and every delivery (SSRF:
   * src/durable-objects/host-resolution.ts); unset: https://cloudflare-dns.com/dns-query; "off": no resolution.
   * `npm start` sets "off" unless given (a development machine may be offline); wrangler.toml leaves it unset.
   */
  WEBHOOK_DNS_RESOLVER?: string;
  /** Tests only: comma-separated retry delays in ms replacing the production backoff (src/domain/webhooks/retry-schedule.ts). */
  WEBHOOK_RETRY_SCHEDULE_MS?: string;
  /**
   * Secret: JSON array of API key records `{ id, tenant, scopes, hash: "sha256:<hex>", rateLimit? }` (hashes only,
   * never plain keys). Production: `wrangler secret put API_KEYS`; locally: `.dev.vars` (see `.dev.vars.example`).
   */
  API_KEYS?: string;
  /** Per-key request budget of keys on the "standard" tier (Workers rate limiting binding, `[[ratelimits]]`). */
  RATE_LIMIT?: RateLimit;
  /** Per-key request budget of keys on the "bulk" tier (batch bots, load tests). */
  RATE_LIMIT_BULK?: RateLimit;
  /**
   * Origins whose pages may read responses (CORS): comma-separated origins, `scheme://host:*` for any port, or `*`.
   * Unset or empty: none (src/http/middleware/cors.ts). `npm start` passes `http://localhost:*,http://127.0.0.1:*`.
   */
  CORS_ALLOWED_ORIGINS?: string;
  /** "debug" | "info" (default) | "warn" | "error" | "off": the least severe request log line written. */
  LOG_LEVEL?: string;
}
export interface AppEnv {
  Bindings: Bindings;
  /**
   * tenantId: the exchange the caller acts for (the API key's tenant; set by auth). apiKey: which key and what it
   * may do, for scopes, logs and rate limiting (never the key or its hash).
   */
  Variables: { requestId: string; tenantId: string; apiKey?: import("./http/middleware/api-key").AuthenticatedKey };
}
