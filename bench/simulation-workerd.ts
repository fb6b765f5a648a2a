/**
 * 1,500 GARCH(1,1) paths over 10,000 positions (dex-sim's example size, five times its traders) through the real
 * engine: `npm start` (wrangler dev, workerd, local Durable Objects and Workflows) on a free port, POST
 * /v1/simulations, then the progress printed as the Workflow's steps store their chunks, until the run succeeds.
 * Prints the wall time (target: within 2 minutes on this 2-core machine, shared with other helpers: see `uptime`), the
 * run's own createdAt -> updatedAt, and the CPU seconds workerd spent (what the load does not stretch).
 * Env: PATHS (1500), STEPS (100), POSITIONS (10000), POLICIES (comma list; default every policy).
 */
import { readFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { authHeaders, startServer } from "../test/e2e/server";
import { book, market } from "./simulation-data";

const PATHS = Number(process.env.PATHS ?? 1500);
const STEPS = Number(process.env.STEPS ?? 100);
const N = Number(process.env.POSITIONS ?? 10_000);
const policies = process.env.POLICIES?.split(",");
/** A progress read that takes longer than this is reported and retried (the isolate may be busy with a step). */
const POLL_TIMEOUT_MS = 20_000;

/**
 * CPU seconds (user + system) of the workerd processes below this one: the work the run took, which a shared
 * machine's load stretches in wall time but not here. Linux /proc, clock ticks of 1/100 s.
 */
function workerdCpuSeconds(): number {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close);
      const f = stat.slice(close + 2).split(" ");
      parent.set(Number(d), Number(f[1]));
      if (name === "workerd") cpu.set(Number(d), (Number(f[11]) + Number(f[12])) / 100);
    } catch {}
  }
  let total = 0;
  for (const [pid, s] of cpu) for (let p = parent.get(pid); p; p = parent.get(p)) if (p === process.pid) { total += s; break; }
  return total;
}

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
  const cpu0 = workerdCpuSeconds();
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
      // workerd aborted (the intermittent V8 fatal error the README describes): the run cannot finish; say so.
      const fatal = /V8 fatal error[^\n]*|Received signal #\d+[^\n]*/.exec(server.output());
      if (fatal) {
        console.log(`server crashed at ${new Date().toISOString()}: ${fatal[0]}`);
        process.exitCode = 1;
        break;
      }
      continue;
    }
    const line = `${r.status} ${r.progress.done}/${r.progress.total} paths (${r.chunks.done}/${r.chunks.total} chunks)`;
    if (line !== last) console.log(`${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s  ${line}`);
    last = line;
    if (r.status === "succeeded" || r.status === "failed") {
      const s = r.result?.policies?.[0]?.summary;
      // A progress read can wait up to POLL_TIMEOUT_MS behind a busy step, so the wall time above can overshoot by
      // that much; the run's own createdAt -> updatedAt (stored when the result was) is the computation itself.
      const runS = (Date.parse(r.updatedAt) - Date.parse(r.createdAt)) / 1000;
      console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s as seen by the poll; run ${runS.toFixed(1)} s from createdAt to updatedAt (target 120 s); workerd CPU ${(workerdCpuSeconds() - cpu0).toFixed(1)} s; load ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
      if (s) for (const p of r.result.policies) console.log(`  ${p.policy.padEnd(18)} fundNeeded ${p.summary.fundNeeded} p99 ${p.summary.fundNeededQuantiles.p99} p99.9 ${p.summary.fundNeededQuantiles.p999} adlProbability ${p.summary.adlProbability} max liquidations/path ${p.summary.liquidations}`);
      if (r.error) console.log(`error: ${r.error}`);
      break;
    }
    await new Promise((ok) => setTimeout(ok, 2000));
  }
} finally {
  await server.stop();
}
