/**
 * API keys of the worker test project. vitest.config.ts hashes them into the API_KEYS binding (as production does
 * with the secret); tests send the plain keys. Plain data only: imported by both Node (config) and workerd (tests).
 */
export const TEST_KEYS = {
  /** tenant-a, every scope: the key the existing route tests use. */
  tenantA: { key: "adl_test_tenant_a_all_scopes_000000000000", id: "test-a", tenant: "tenant-a", scopes: ["adl:compute", "fund:read", "fund:write", "liquidations:write", "simulations:run", "simulations:read", "webhooks:write"], rateLimit: "bulk" },
  /** tenant-b, every scope: the other exchange in isolation tests. */
  tenantB: { key: "adl_test_tenant_b_all_scopes_000000000000", id: "test-b", tenant: "tenant-b", scopes: ["adl:compute", "fund:read", "fund:write", "liquidations:write", "simulations:run", "simulations:read", "webhooks:write"], rateLimit: "bulk" },
  /** One scope each, tenant-a: 403 tests. */
  compute: { key: "adl_test_tenant_a_adl_compute_00000000000", id: "test-compute", tenant: "tenant-a", scopes: ["adl:compute"], rateLimit: "bulk" },
  fundRead: { key: "adl_test_tenant_a_fund_read_0000000000000", id: "test-fund-read", tenant: "tenant-a", scopes: ["fund:read"], rateLimit: "bulk" },
  fundWrite: { key: "adl_test_tenant_a_fund_write_000000000000", id: "test-fund-write", tenant: "tenant-a", scopes: ["fund:write"], rateLimit: "bulk" },
  liquidations: { key: "adl_test_tenant_a_liquidations_0000000000", id: "test-liquidations", tenant: "tenant-a", scopes: ["liquidations:write"], rateLimit: "bulk" },
  simulationsRun: { key: "adl_test_tenant_a_simulations_run_0000000", id: "test-simulations-run", tenant: "tenant-a", scopes: ["simulations:run"], rateLimit: "bulk" },
  simulationsRead: { key: "adl_test_tenant_a_simulations_read_000000", id: "test-simulations-read", tenant: "tenant-a", scopes: ["simulations:read"], rateLimit: "bulk" },
  webhooks: { key: "adl_test_tenant_a_webhooks_00000000000000", id: "test-webhooks", tenant: "tenant-a", scopes: ["webhooks:write"], rateLimit: "bulk" },
  /** Standard tier, whose limit the worker project lowers to RATE_LIMIT_TEST_LIMIT per period: the 429 test. */
  limited: { key: "adl_test_tenant_c_rate_limited_0000000000", id: "test-limited", tenant: "tenant-c", scopes: ["fund:read", "adl:compute"], rateLimit: "standard" },
} as const;

export const RATE_LIMIT_TEST_LIMIT = 5;

/** The worker project's CORS_ALLOWED_ORIGINS: one deployed origin plus the local default. */
export const CORS_TEST_ORIGINS = "https://risk.example.com, http://localhost:*,http://127.0.0.1:*";

/** Authorization header of a test key (tenant-a with every scope by default). */
export function authHeader(key: string = TEST_KEYS.tenantA.key): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}
