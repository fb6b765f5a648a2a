/**
 * How the HTTP layer and the market objects reach a tenant's directory. No `cloudflare:*` imports (the OpenAPI
 * generator loads the routes in Node).
 */

/**
 * The TenantDirectory object of `tenantId`: one per tenant, named by the tenant id. Generic over the namespace so
 * this file needs neither the Worker's bindings nor the object's class (either would close an import circle).
 */
export function directoryStub<T extends Rpc.DurableObjectBranded>(env: { TENANT_DIRECTORY: DurableObjectNamespace<T> }, tenantId: string): DurableObjectStub<T> {
  return env.TENANT_DIRECTORY.get(env.TENANT_DIRECTORY.idFromName(tenantId));
}
