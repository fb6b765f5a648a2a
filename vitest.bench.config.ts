import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { createHash } from "node:crypto";
import { defineConfig } from "vitest/config";
import { buildPages } from "./scripts/build-pages.mjs";
import { TEST_KEYS } from "./test/worker/keys.ts";

// Opt-in benchmarks that run inside workerd (the Worker and its Durable Objects' SQLite, as in the worker tests):
// not one of vitest.config.ts's projects, so `npm test` never runs them. bench/read-scale.mjs runs this config and
// samples the workerd process's memory from outside.
await buildPages();

const apiKeys = JSON.stringify(
  Object.values(TEST_KEYS).map(({ key, ...record }) => ({ ...record, hash: `sha256:${createHash("sha256").update(key).digest("hex")}` })),
);

export default defineConfig({
  plugins: [
    cloudflareTest({
      main: "./src/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          API_KEYS: apiKeys,
          LOG_LEVEL: "off",
          CORS_ALLOWED_ORIGINS: "",
          // Sizes (defaults 10,000 markets and 1,000,000 entries); smaller ones only to try the script quickly.
          READSCALE_MARKETS: process.env.READSCALE_MARKETS ?? "",
          READSCALE_ENTRIES: process.env.READSCALE_ENTRIES ?? "",
          READSCALE_EXPORT_FIRST: process.env.READSCALE_EXPORT_FIRST ?? "",
        },
      },
    }),
  ],
  test: {
    name: "bench-workerd",
    include: [process.env.READSCALE_FILE ?? "bench/workerd/**/*.bench-test.ts"],
    // Seeding a million ledger entries and reading them back takes minutes on the shared 2 vCPUs.
    testTimeout: 3_600_000,
    hookTimeout: 3_600_000,
    reporters: ["default"],
  },
});
