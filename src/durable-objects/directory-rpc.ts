/**
 * How the HTTP layer and the market objects reach a tenant's directory. No `cloudflare:*` imports (the OpenAPI
 * generator loads the routes in Node).
 */
import type { Bindings } from "../env";

/** The TenantDirectory object of `tenantId`: one per tenant, named by the tenant id. */
export function directoryStub(env: Bindings, tenantId: string) {
  return env.TENANT_DIRECTORY.get(env.TENANT_DIRECTORY.idFromName(tenantId));
}
