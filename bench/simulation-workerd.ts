/**
 * 1,500 GARCH(1,1) paths over 10,000 positions (dex-sim's example size, five times its traders) through the real
 * engine: `npm start` (wrangler dev, workerd, local Durable Objects and Workflows) on a free port, POST
 * /v1/simulations, then the progress printed as the Workflow's steps store their chunks, until the run succeeds.
 * Prints the wall time (target: within 2 minutes on this 2-core machine, shared with other helpers: see `uptime`).
 * Env: PATHS (1500), STEPS (100), POSITIONS (10000), POLICIES (comma list; default every policy).
 */
import { loadavg } from "node:os";
import { authHeaders, startServer } from "../test/e2e/server";
import { book, market } from "./simulation-data";

const PATHS = Number(process.env.PATHS ?? 1500);
const STEPS = Number(process.env.STEPS ?? 100);
const N = Number(process.env.POSITIONS ?? 10_000);
const policies = process.env.POLICIES?.split(",");
/** A progress read that takes longer than this is reported and retried (the isolate may be busy with a step). */
const POLL_TIMEOUT_MS = 20_000;

const server = await startServer({ timeoutMs: 120_000 });
try {
  const body = {
    market,
    markPrice: "10000",
    positions: book(N),
    fund: { balance: String(N * 100) },
    liquidation: { maintenanceMarginRate: "0.005" },
    scenario: { model: "garch", paths: PATHS, steps: STEPS, seed: 2025, omega: "0.0000001", alpha: "0.08", beta: "0.9", innovations: "student-t", degreesOfFreedom: 4 },
    impact: { model: "book", depth: String(N / 20), resilience: "0.3" },
    ...(policies ? { policies } : {}),
    output: { events: false, steps: false },
  };
  console.log(`load ${loadavg().map((x) => x.toFixed(1)).join(" ")}; ${PATHS} GARCH paths x ${STEPS} steps over ${N} positions, policies: ${policies?.join(",") ?? "all"}`);
  const t0 = performance.now();
  const res = await fetch(`${server.url}/v1/simulations`, { method: "POST", headers: { ...authHeaders(), "content-type": "application/json", "idempotency-key": `bench-${Date.now()}` }, body: JSON.stringify(body) });
  const started = (await res.json()) as { simulationId: string; status: string };
  console.log(`POST ${res.status} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${started.simulationId} ${started.status}`);
  let last = "";
  for (;;) {
    let r: any;
    try {
      r = await (await fetch(`${server.url}/v1/simulations/${started.simulationId}`, { headers: authHeaders(), signal: AbortSignal.timeout(POLL_TIMEOUT_MS) })).json();
    } catch (e) {
      console.log(`${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s  GET gave no answer within ${POLL_TIMEOUT_MS / 1000} s (${String((e as Error).name)}); polling again`);
      if (process.env.DEBUG_SERVER) console.log(server.output().slice(-4000));
      continue;
    }
    const line = `${r.status} ${r.progress.done}/${r.progress.total} paths (${r.chunks.done}/${r.chunks.total} chunks)`;
    if (line !== last) console.log(`${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s  ${line}`);
    last = line;
    if (r.status === "succeeded" || r.status === "failed") {
      const s = r.result?.policies?.[0]?.summary;
      console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s (target 120 s); load ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
      if (s) for (const p of r.result.policies) console.log(`  ${p.policy.padEnd(18)} fundNeeded ${p.summary.fundNeeded} p99 ${p.summary.fundNeededQuantiles.p99} p99.9 ${p.summary.fundNeededQuantiles.p999} adlProbability ${p.summary.adlProbability} max liquidations/path ${p.summary.liquidations}`);
      if (r.error) console.log(`error: ${r.error}`);
      break;
    }
    await new Promise((ok) => setTimeout(ok, 2000));
  }
} finally {
  await server.stop();
}
