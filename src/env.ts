/** Bindings of the Worker, one type used everywhere (Hono's `Env` generic, the Durable Object, tests). */
export interface Bindings {
  MARKET_FUND: DurableObjectNamespace<import("./durable-objects/market-fund").MarketFund>;
  MAX_BODY_BYTES?: string;
}
export interface AppEnv {
  Bindings: Bindings;
  /** tenantId: the exchange the caller acts for (set by auth; "default" until keys are configured). */
  Variables: { requestId: string; tenantId: string };
}
