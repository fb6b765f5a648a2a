export { AdlApiError, IDEMPOTENCY_HEADER, createAdlClient, unwrap } from "./client.js";
export type { AdlClient, AdlClientOptions, Problem, Schemas } from "./client.js";
export type { components, operations, paths } from "./generated/schema.js";
