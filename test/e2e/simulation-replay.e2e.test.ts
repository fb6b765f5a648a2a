/**
 * The stress lab end to end against the real server (`npm start`):
 * - replay: the events of a simulated path, posted in order to POST /v1/markets/{id}/liquidations of a fresh market
 *   with the same configuration and starting fund, give the fund balance the simulation recorded after every event
 *   (and the same ADL fills), under a queue policy and an allocating one;
 * - a Workflow run killed mid-way (SIGKILL of the whole server) either resumes after the restart or is marked failed;
 *   it is never reported succeeded with a partial result.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { authHeaders, startServer, type LocalServer } from "./server";

let server: LocalServer | undefined;
const persistDir = mkdtempSync(join(tmpdir(), "adl-sim-e2e-"));
/** The kill test's own storage: see the comment there. */
const killDir = mkdtempSync(join(tmpdir(), "adl-sim-kill-e2e-"));
afterAll(async () => {
  await server?.stop();
  rmSync(persistDir, { recursive: true, force: true });
  rmSync(killDir, { recursive: true, force: true });
});

/** A server that died by itself (not by the test's kill) fails the test at once, with its last output. */
function assertAlive(s: LocalServer) {
  const out = s.output();
  if (/V8 fatal error|Received signal #/.test(out)) throw new Error(`the local server died:\n${out.slice(-3000)}`);
}

async function call(method: string, path: string, body?: unknown, key?: string, timeoutMs = 240_000) {
  if (process.env.SIM_E2E_DEBUG) console.log(new Date().toISOString(), method, path);
  const res = await fetch(`${server!.url}${path}`, {
    signal: AbortSignal.timeout(timeoutMs), // generous by default: the machine may be shared and loaded
    method,
    headers: { ...authHeaders(), ...(body === undefined ? {} : { "content-type": "application/json" }), ...(key ? { "idempotency-key": key } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const market = { contractType: "linear" as const, contractSize: "1", lotSize: "1", tickSize: "0.5", settlementAsset: "USDT", amountDecimals: 2 };
function book() {
  const out = [];
  for (let i = 0; i < 24; i++) out.push({ accountId: `L${i}`, side: "long", size: String(1 + (i % 4)), entryPrice: String(9700 + i * 25), margin: String(300 + i * 45) });
  for (let i = 0; i < 16; i++) out.push({ accountId: `S${i}`, side: "short", size: String(1 + (i % 3)), entryPrice: String(10300 - i * 20), margin: String(1200 + i * 80) });
  return out;
}

describe("stress lab against the real server", { timeout: 1_200_000 }, () => {
  it("valid: replaying a simulated path's events into a fresh market gives the recorded fund balance after every event", async () => {
    server = await startServer({ persistDir });
    const request = {
      market,
      markPrice: "10000",
      positions: book(),
      fund: { balance: "1500", floor: "100" },
      liquidation: { maintenanceMarginRate: "0.005", liquidationFeeRate: "0.01" },
      scenario: { markPath: ["9800", "9500", "9200", "9400", "8900", "8600", "8800", "8300"] },
      impact: { model: "book", depth: "0.4", resilience: "0.5" },
      policies: ["queue:bitmex", "pro-rata"],
      output: { events: true, steps: true },
    };
    const sim = await call("POST", "/v1/simulations", request, "replay-sim");
    expect(sim.status).toBe(201);
    let replayed = 0;
    let withAdl = 0;
    for (const p of sim.body.result.policies) {
      const events = p.paths[0].events as any[];
      expect(events.length).toBeGreaterThan(5);
      const m = `REPLAY-${p.policy.replace(":", "-")}`;
      expect((await call("PUT", `/v1/markets/${m}`, { ...market, fundFloor: "100" }, `cfg-${m}`)).status).toBe(200);
      expect((await call("POST", `/v1/markets/${m}/insurance-fund/deposits`, { amount: "1500" }, `dep-${m}`)).status).toBe(201);
      for (const [k, e] of events.entries()) {
        const res = await call("POST", `/v1/markets/${m}/liquidations`, e.request, `ev-${m}-${k}`);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body.fund.balanceAfter).toBe(e.fundBalanceAfter);
        expect(res.body.adl.fills).toEqual(e.fills);
        expect(res.body.socializedLoss).toBe(e.socializedLoss);
        if (e.adlQuantity !== "0") withAdl++;
        replayed++;
      }
      const fund = await call("GET", `/v1/markets/${m}/insurance-fund`);
      expect(fund.body.balance).toBe(p.paths[0].totals.fundEnd);
    }
    expect(withAdl).toBeGreaterThan(0);
    expect(replayed).toBeGreaterThan(10);
  });

  it("valid: a run killed mid-way resumes after the restart or is marked failed, never succeeded with a partial result", async () => {
    const request = {
      market,
      markPrice: "10000",
      positions: book(),
      fund: { balance: "1500" },
      liquidation: { maintenanceMarginRate: "0.005" },
      scenario: { model: "garch", paths: 160, steps: 100, seed: 3, omega: "0.00001", alpha: "0.08", beta: "0.9" },
      impact: { model: "linear", lambda: "2" },
      output: { events: false, steps: false },
    };
    // A server of its own, so the kill and the resume are judged on a run nothing else shares the isolate with. (The
    // workerd bundled with wrangler 4.86 aborted here now and then, "V8 fatal error ... OptimizedJSFrame::Summarize";
    // the package.json workerd pin fixes it, README "Known problems"; assertAlive still names such a death.)
    await server?.stop();
    server = await startServer({ persistDir: killDir });
    const started = await call("POST", "/v1/simulations", request, "kill-sim");
    expect(started.status).toBe(202);
    const id = started.body.simulationId;
    // Wait for some progress, then kill the whole server (workerd included) at once.
    // A read that takes over 20 s (one CI rehearsal at load 9 saw one hang) is retried: this loop only waits for
    // progress; what the test judges is the run's state after the kill.
    let before: any;
    for (let i = 0; i < 600; i++) {
      const s = await call("GET", `/v1/simulations/${id}`, undefined, undefined, 20_000).catch((e: Error) => {
        if (e.name === "TimeoutError") return null;
        throw e;
      });
      if (s) before = s.body;
      else assertAlive(server!);
      if (before && before.progress.done > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(before.status).not.toBe("succeeded");
    await server!.kill();
    server = await startServer({ persistDir: killDir });
    let last: any;
    for (let i = 0; i < 900; i++) {
      last = (await call("GET", `/v1/simulations/${id}`)).body;
      expect(last.result === undefined || last.status === "succeeded").toBe(true);
      if (last.status === "succeeded" || last.status === "failed") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    if (!["succeeded", "failed"].includes(last.status)) console.log(server!.output().slice(-4000));
    console.log(`killed at ${before.progress.done}/${before.progress.total} paths; after restart: ${last.status} ${last.progress.done}/${last.progress.total}${last.error ? ` (${last.error})` : ""}`);
    expect(["succeeded", "failed"]).toContain(last.status);
    if (last.status === "succeeded") {
      expect(last.progress).toEqual({ done: 160, total: 160 });
      expect(last.result.paths).toBe(160);
      for (const p of last.result.policies) expect(p.summary.paths).toBe(160);
    } else expect(last.result).toBeUndefined();
  });
});
