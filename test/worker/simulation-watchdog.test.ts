/**
 * The SimulationRuns object's watchdog (its alarm): a run whose Workflow instance was lost (the server was killed, or
 * the route died between storing the run and starting its instance) is resumed by a new instance without anyone
 * reading it, and one stalled MAX_ATTEMPTS times is marked failed. The stall is made by moving the run's last
 * heartbeat back by STALE_MS in its SQLite row; the alarm is then run as workerd would run it.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, STALE_MS, runsStub } from "../../src/durable-objects/simulation-rpc";
import { parseSimulation, runPaths, summarize, type SimulationInput } from "../../src/domain/simulation";
import type { Bindings } from "../../src/env";

const input: SimulationInput = {
  market: { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" },
  markPrice: "10000",
  positions: [
    ...Array.from({ length: 12 }, (_, i) => ({ accountId: `L${i}`, side: "long" as const, size: String(1 + (i % 3)), entryPrice: String(9900 + i * 25), margin: String(500 + i * 50) })),
    ...Array.from({ length: 8 }, (_, i) => ({ accountId: `S${i}`, side: "short" as const, size: String(1 + (i % 2)), entryPrice: String(10300 - i * 20), margin: String(1500 + i * 80) })),
  ],
  fund: { balance: "800" },
  liquidation: { maintenanceMarginRate: "0.005" },
  scenario: { model: "garch", paths: 12, steps: 30, seed: 5, omega: "0.00002", alpha: "0.1", beta: "0.85" },
  impact: { model: "linear", lambda: "3" },
  output: { events: false, steps: false },
};

const TENANT = "watchdog-tenant";
const stub = () => runsStub((env as unknown as Bindings), TENANT);

/** Stores a run as the route does, without starting its Workflow instance (the lost instance). */
async function storeLostRun(id: string) {
  const out = await stub().create({ id, tenant: TENANT, idempotencyKey: `key-${id}`, digest: `digest-${id}`, request: JSON.stringify(input), paths: 12, chunks: 12 });
  expect(out.ok).toBe(true);
}

const ageHeartbeat = (id: string, attempt?: number) =>
  runInDurableObject(stub(), (_i, state) => {
    state.storage.sql.exec(`UPDATE runs SET updated_at = updated_at - ? WHERE id = ?`, STALE_MS + 1, id);
    if (attempt !== undefined) state.storage.sql.exec(`UPDATE runs SET attempt = ? WHERE id = ?`, attempt, id);
  });

async function settle(id: string) {
  for (let i = 0; i < 600; i++) {
    const got = await stub().get(id);
    if (got && (got.run.status === "succeeded" || got.run.status === "failed")) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("run did not finish");
}

describe("SimulationRuns watchdog", { timeout: 120_000 }, () => {
  it("valid: a run not stalled yet is left alone by the alarm", async () => {
    await storeLostRun("sim_fresh");
    expect(await runDurableObjectAlarm(stub())).toBe(true);
    const got = await stub().get("sim_fresh");
    expect(got!.run).toMatchObject({ status: "queued", attempt: 1 });
  });

  it("valid: a run whose instance was lost is resumed by the alarm, unread, and aggregates exactly what the pure code does", async () => {
    await storeLostRun("sim_lost");
    await ageHeartbeat("sim_lost");
    expect(await runDurableObjectAlarm(stub())).toBe(true);
    const done = await settle("sim_lost");
    expect(done.run).toMatchObject({ status: "succeeded", attempt: 2, progress: { done: 12, total: 12 } });
    const plan = parseSimulation(input);
    expect(done.result).toBe(JSON.stringify(summarize(plan, runPaths(plan, 0, 12, 0), 0)));
  });

  it("invalid: a run stalled MAX_ATTEMPTS times is marked failed by the alarm, with no result", async () => {
    await storeLostRun("sim_dead");
    await ageHeartbeat("sim_dead", MAX_ATTEMPTS);
    expect(await runDurableObjectAlarm(stub())).toBe(true);
    const got = await stub().get("sim_dead");
    expect(got!.run.status).toBe("failed");
    expect(got!.run.error).toMatch(/stalled 3 times/);
    expect(got!.result).toBeUndefined();
  });
});
