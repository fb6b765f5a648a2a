/**
 * The stress lab's routes inside workerd: a small run answered within the request (201) and stored; a larger one
 * fanned out over the Workflow (202), its progress visible, its result equal byte for byte to the pure computation
 * (exact aggregation over chunks); Idempotency-Key replay and reuse; limits refused up front with the limit named and
 * nothing stored; scopes; tenants isolated; the list paginated.
 */
import { describe, expect, it } from "vitest";
import { parseSimulation, runPaths, summarize, type SimulationInput } from "../../src/domain/simulation";
import { callJson } from "./fund-helpers";
import { TEST_KEYS } from "./keys";

const book = () => {
  const positions = [];
  for (let i = 0; i < 30; i++) positions.push({ accountId: `L${i}`, side: "long", size: String(1 + (i % 4)), entryPrice: String(9800 + i * 20), margin: String(400 + i * 40) });
  for (let i = 0; i < 20; i++) positions.push({ accountId: `S${i}`, side: "short", size: String(1 + (i % 3)), entryPrice: String(10400 - i * 15), margin: String(1500 + i * 60) });
  return positions;
};

const base = (extra: Partial<SimulationInput> = {}): SimulationInput => ({
  market: { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" },
  markPrice: "10000",
  positions: book() as SimulationInput["positions"],
  fund: { balance: "2000" },
  liquidation: { maintenanceMarginRate: "0.005" },
  scenario: { shock: { drop: "0.2", steps: 10 } },
  impact: { model: "linear", lambda: "4" },
  ...extra,
});

let n = 0;
const post = (body: unknown, key = `sim-${n++}`, apiKey?: string) => callJson("POST", "/v1/simulations", body, key, apiKey);

async function waitFor(id: string, apiKey?: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const r = await callJson("GET", `/v1/simulations/${id}`, undefined, undefined, apiKey);
    if (r.body.status === "succeeded" || r.body.status === "failed") return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("run did not finish");
}

describe("POST /v1/simulations", { timeout: 180_000 }, () => {
  it("valid: a small run is computed within the request (201), stored, and equal to the pure simulator's result", async () => {
    const input = base();
    const res = await post(input);
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/v1/simulations/${res.body.simulationId}`);
    expect(res.body).toMatchObject({ status: "succeeded", progress: { done: 1, total: 1 } });
    const plan = parseSimulation(input);
    expect(JSON.stringify(res.body.result)).toBe(JSON.stringify(summarize(plan, runPaths(plan, 0, 1, plan.detailPaths), plan.detailPaths)));
    expect(res.body.result.policies.map((p: any) => p.policy)).toEqual(["queue:bitmex", "queue:binance", "queue:hyperliquid", "pro-rata", "capped-pro-rata", "leverage-draining"]);
    const got = await callJson("GET", `/v1/simulations/${res.body.simulationId}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it("valid: a Monte Carlo run goes to the Workflow (202), shows progress, and aggregates exactly what the pure code does", async () => {
    const input = base({ scenario: { model: "garch", paths: 30, steps: 40, seed: 7, omega: "0.00002", alpha: "0.1", beta: "0.85", innovations: "student-t", degreesOfFreedom: 5 }, output: { events: false, steps: false } });
    const res = await post(input);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "queued", progress: { done: 0, total: 30 }, chunks: { done: 0, total: 30 } });
    const done = await waitFor(res.body.simulationId);
    expect(done.status).toBe("succeeded");
    expect(done.progress).toEqual({ done: 30, total: 30 });
    const plan = parseSimulation(input);
    expect(JSON.stringify(done.result)).toBe(JSON.stringify(summarize(plan, runPaths(plan, 0, 30, 0), 0)));
    expect(Number(done.result.policies[0].summary.adlProbability)).toBeGreaterThanOrEqual(0);
    expect(done.result.policies[0].summary.fundNeededQuantiles.p999).not.toBeUndefined();
  });

  it("valid: the same Idempotency-Key and body return the same run; another body is 409", async () => {
    const input = base();
    const a = await post(input, "same-key");
    const b = await post(input, "same-key");
    expect(b.status).toBe(a.status);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect(b.body.simulationId).toBe(a.body.simulationId);
    const c = await post(base({ fund: { balance: "1" } }), "same-key");
    expect(c.status).toBe(409);
  });

  it("invalid: limits are refused up front with the limit named, and nothing is stored", async () => {
    const before = (await callJson("GET", "/v1/simulations?limit=100")).body.simulations.length;
    const big = await post(base({ scenario: { model: "gbm", paths: 10_000, steps: 10_000, seed: 1, sigma: "0.01" } }));
    expect(big.status).toBe(422);
    expect(big.body.errors[0]).toMatchObject({ pointer: "/scenario", code: "too_much_work" });
    expect(big.body.errors[0].detail).toMatch(/MAX_PATH_STEPS/);
    const series = await post(base({ scenario: { model: "gbm", paths: 100, steps: 5000, seed: 1, sigma: "0.01" }, output: { steps: true } }));
    expect(series.status).toBe(422);
    expect(series.body.errors[0]).toMatchObject({ pointer: "/output/steps", code: "output_too_large" });
    const tick = await post(base({ markPrice: "10000.25" }));
    expect(tick.status).toBe(422);
    expect(tick.body.errors[0].pointer).toBe("/markPrice");
    const dup = await post(base({ positions: [...book(), { accountId: "L0", side: "short", size: "1", entryPrice: "10000", margin: "100" }] as SimulationInput["positions"] }));
    expect(dup.status).toBe(422);
    expect(dup.body.errors[0].pointer).toBe("/positions/50/accountId");
    expect((await callJson("GET", "/v1/simulations?limit=100")).body.simulations.length).toBe(before);
  });

  it("invalid: the other limits: more than 100,000 positions 413 (the batch bound, as on every batch route), MAX_BOOK_WORK and MAX_EVENT_CELLS named; nothing stored", async () => {
    const before = (await callJson("GET", "/v1/simulations?limit=100")).body.simulations.length;
    const one = { accountId: "A", side: "long", size: "1", entryPrice: "10000", margin: "1000" };
    const many = (k: number) => Array.from({ length: k }, (_, i) => ({ ...one, accountId: `A${i}`, side: i % 2 === 0 ? "long" : "short" }));
    const tooMany = await post(base({ positions: many(100_001) as SimulationInput["positions"] }));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.detail).toMatch(/100000/);
    // 30,000 positions x 1,000 paths x 7 policies = 210,000,000 > 200,000,000.
    const work = await post(base({ positions: many(30_000) as SimulationInput["positions"], scenario: { model: "gbm", paths: 1_000, steps: 10, seed: 1, sigma: "0.01" }, output: { events: false, steps: false } }));
    expect(work.status).toBe(422);
    expect(work.body.errors[0]).toMatchObject({ pointer: "/positions", code: "too_much_work" });
    expect(work.body.errors[0].detail).toMatch(/MAX_BOOK_WORK/);
    // Events asked for 1,000 positions under the default policies (six: no seed, so no queue:random): 1 x 6 x 1,000^2 = 6,000,000 > 4,000,000.
    const events = await post(base({ positions: many(1_000) as SimulationInput["positions"], output: { events: true } }));
    expect(events.status).toBe(422);
    expect(events.body.errors[0]).toMatchObject({ pointer: "/output/events", code: "output_too_large" });
    expect(events.body.errors[0].detail).toMatch(/MAX_EVENT_CELLS/);
    expect((await callJson("GET", "/v1/simulations?limit=100")).body.simulations.length).toBe(before);
  });

  it("invalid: unknown members are named at every depth (fund, liquidation, scenario, impact), nothing is stored", async () => {
    const before = (await callJson("GET", "/v1/simulations?limit=100")).body.simulations.length;
    const res = await post({
      ...base(),
      fund: { balance: "2000", flor: "10" },
      liquidation: { maintenanceMarginRate: "0.005", liquidationConvension: "mark" },
      impact: { model: "linear", lambda: "4", lamda: "5" },
      outptu: { events: true },
    });
    expect(res.status).toBe(422);
    const named = res.body.errors.filter((e: { code: string }) => e.code === "unrecognized_key").map((e: { pointer: string }) => e.pointer).sort();
    expect(named).toEqual(expect.arrayContaining(["/fund/flor", "/liquidation/liquidationConvension", "/outptu"]));
    expect(res.body.errors.some((e: { pointer: string }) => e.pointer.startsWith("/impact"))).toBe(true);
    expect((await callJson("GET", "/v1/simulations?limit=100")).body.simulations.length).toBe(before);
  });

  it("invalid: scopes: a key without simulations:run gets 403; simulations:read is needed to read", async () => {
    expect((await post(base(), "scope", TEST_KEYS.compute.key)).status).toBe(403);
    expect((await callJson("GET", "/v1/simulations", undefined, undefined, TEST_KEYS.fundRead.key)).status).toBe(403);
  });
});

describe("GET /v1/simulations", { timeout: 60_000 }, () => {
  it("valid: another tenant's run is 404; the list is the tenant's own, newest first, with a cursor", async () => {
    const a = await post(base(), "list-a");
    expect((await callJson("GET", `/v1/simulations/${a.body.simulationId}`, undefined, undefined, TEST_KEYS.tenantB.key)).status).toBe(404);
    await post(base({ fund: { balance: "3" } }), "list-b");
    const first = await callJson("GET", "/v1/simulations?limit=1");
    expect(first.body.simulations).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await callJson("GET", `/v1/simulations?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.simulations[0].simulationId).not.toBe(first.body.simulations[0].simulationId);
    expect((await callJson("GET", "/v1/simulations?cursor=%%%")).status).toBe(422);
    expect((await callJson("GET", "/v1/simulations/sim_not-a-real-id")).status).toBe(422);
  });
});
