/**
 * The benchmarks call the Worker's fetch handler in Node (`app.request(path, init, env)`), so they bring their own
 * API key: a bench-only key whose SHA-256 record is passed as the API_KEYS binding, exactly as the secret holds it.
 * No rate-limit binding is passed (the middleware skips it when absent), so the figures measure the engine.
 */
import { createHash } from "node:crypto";

const BENCH_KEY = "adl_bench_only_key_not_a_secret_0000000000";

export const benchEnv = {
  API_KEYS: JSON.stringify([
    {
      id: "bench",
      tenant: "bench",
      scopes: ["adl:compute", "fund:read", "fund:write", "liquidations:write"],
      rateLimit: "bulk",
      hash: `sha256:${createHash("sha256").update(BENCH_KEY).digest("hex")}`,
    },
  ]),
  LOG_LEVEL: "off",
};

export const benchHeaders = { "content-type": "application/json", authorization: `Bearer ${BENCH_KEY}` };
