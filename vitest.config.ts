import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { buildPages } from "./scripts/build-pages.mjs";
import { CORS_TEST_ORIGINS, RATE_LIMIT_TEST_LIMIT, TEST_KEYS } from "./test/worker/keys.ts";

// The pages' [assets] directory (dist/pages) must exist before the worker pool reads wrangler.toml, and the e2e and
// browser tests serve what it holds: build it for every vitest run (a second or two; unchanged files are left alone).
await buildPages();

// The SDK is imported by its package name, as integrators do; in this repo it resolves to its TypeScript source
// (tsconfig.node.json maps the same name for tsc and tsx).
const sdkAlias = { "@adl/sdk": fileURLToPath(new URL("./sdk/src/index.ts", import.meta.url)) };

// The worker tests' API_KEYS binding: records with hashes, exactly as the production secret holds them.
const testApiKeys = JSON.stringify(
  Object.values(TEST_KEYS).map(({ key, ...record }) => ({ ...record, hash: `sha256:${createHash("sha256").update(key).digest("hex")}` })),
);

// Two projects: the pure domain and build checks run in plain Node (fast, property tests); everything that touches
// Hono, Durable Objects or bindings runs inside workerd through the Cloudflare pool.
export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-report.json" },
    projects: [
      {
        resolve: { alias: sdkAlias },
        // 30 s, not vitest's 5 s: property tests of a few hundred runs take 1-3 s on a quiet machine and several
        // times that when the 2 shared vCPUs are busy; a timeout there says nothing about the code.
        test: { name: "node", include: ["test/domain/**/*.test.ts", "test/node/**/*.test.ts"], environment: "node", testTimeout: 30_000 },
      },
      {
        // Against the real local server (npm start) on a free port with temporary storage.
        resolve: { alias: sdkAlias },
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], environment: "node", testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        plugins: [
          cloudflareTest({
            main: "./src/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // No DNS resolution of webhook hosts in workerd tests (no network): host-resolution is tested in test/node
              // with an injected fetch and end to end against a fake resolver (test/e2e/webhooks.e2e.test.ts).
              bindings: { API_KEYS: testApiKeys, LOG_LEVEL: "off", CORS_ALLOWED_ORIGINS: CORS_TEST_ORIGINS, WEBHOOK_DNS_RESOLVER: "off" },
              // Standard tier lowered so the 429 test needs a handful of requests (only the "limited" key uses it).
              ratelimits: { RATE_LIMIT: { simple: { limit: RATE_LIMIT_TEST_LIMIT, period: 10 } } },
            },
          }),
        ],
        // 30 s, not vitest's 5 s: the first request of a file starts a workerd isolate, which takes 3-5 s when the
        // 2 shared vCPUs are busy (load average 15-20 measured with several helpers testing at once).
        test: { name: "worker", include: ["test/worker/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 60_000 },
      },
    ],
  },
});
