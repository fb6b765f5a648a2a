/** Bindings of the Worker, one type used everywhere (Hono's `Env` generic, the Durable Object, tests). */
export interface Bindings {
  MARKET_FUND: DurableObjectNamespace<import("./durable-objects/market-fund").MarketFund>;
  MAX_BODY_BYTES?: string;
}
export interface AppEnv {
  Bindings: Bindings;
  Variables: { requestId: string };
}
