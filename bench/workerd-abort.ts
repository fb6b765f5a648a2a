// How often the local runtime aborts on the run that exposed the V8 bug of workerd 2026-04-26 (README "Known
// problems"): each trial starts a fresh `npm start` server, posts one stress-lab run (40 positions, 160 GARCH paths x
// 100 steps, every policy, the simulation kill test's request) and polls it to the end; a trial counts as an abort
// when the server prints "V8 fatal error" or "Received signal #". Prints the workerd version, each trial and
// `aborts N of M`. Run it after changing the workerd pin (package.json "overrides").
//
//   node --import tsx bench/workerd-abort.ts [--trials 12]
import { execFileSync } from "node:child_process";
import os from "node:os";
import { authHeaders, startServer } from "../test/e2e/server.ts";

const i = process.argv.indexOf("--trials");
const TRIALS = i > 0 ? Number(process.argv[i + 1]) : 12;
const died = (out: string) => /V8 fatal error|Received signal #/.test(out);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const market = { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5", settlementAsset: "USDT", amountDecimals: 2 };
const positions = [
  ...Array.from({ length: 24 }, (_, k) => ({ accountId: `L${k}`, side: "long", size: String(1 + (k % 4)), entryPrice: String(9700 + k * 25), margin: String(300 + k * 45) })),
  ...Array.from({ length: 16 }, (_, k) => ({ accountId: `S${k}`, side: "short", size: String(1 + (k % 3)), entryPrice: String(10300 - k * 20), margin: String(1200 + k * 80) })),
];
const request = {
  market,
  markPrice: "10000",
  positions,
  fund: { balance: "1500" },
  liquidation: { maintenanceMarginRate: "0.005" },
  scenario: { model: "garch", paths: 160, steps: 100, seed: 3, omega: "0.00001", alpha: "0.08", beta: "0.9" },
  impact: { model: "linear", lambda: "2" },
  output: { events: false, steps: false },
};

const version = execFileSync("npx", ["workerd", "--version"], { encoding: "utf8" }).trim();
console.log(`${version}; ${os.cpus().length} vCPUs; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
let aborts = 0;
for (let t = 1; t <= TRIALS; t++) {
  const server = await startServer();
  let outcome = "";
  try {
    const started = await fetch(`${server.url}/v1/simulations`, {
      method: "POST",
      headers: { ...authHeaders(), "content-type": "application/json", "idempotency-key": `abort-${t}` },
      body: JSON.stringify(request),
    });
    const { simulationId } = (await started.json()) as { simulationId: string };
    const t0 = Date.now();
    while (!outcome) {
      if (died(server.output())) outcome = "ABORTED";
      else if (Date.now() - t0 > 300_000) outcome = "timed out";
      else {
        const res = await fetch(`${server.url}/v1/simulations/${simulationId}`, { headers: authHeaders(), signal: AbortSignal.timeout(20_000) }).catch(() => null);
        const body = res ? ((await res.json()) as { status: string }) : null;
        if (body && (body.status === "succeeded" || body.status === "failed")) outcome = `${body.status} in ${Date.now() - t0} ms`;
        else await sleep(300);
      }
    }
  } catch (e) {
    outcome = died(server.output()) ? "ABORTED" : `error: ${(e as Error).message}`;
  }
  if (outcome === "ABORTED") aborts++;
  console.log(`trial ${t}: ${outcome}`);
  await server.stop();
}
console.log(`aborts ${aborts} of ${TRIALS}`);
