/**
 * The fan-out of a stress run over Cloudflare Workflows: one durable step per chunk of paths, then one step that
 * aggregates. Each step's work is stored in the tenant's SimulationRuns object before the step completes, and the
 * Workflows engine persists which steps completed: a Worker that dies mid-run resumes at the first step not completed
 * (a retried step recomputes the same chunk, deterministically, and stores the same text), and a step that keeps
 * failing ends the instance, which marks the run failed. The run is marked succeeded only with its whole result, in
 * one transaction (SimulationRuns.finish). Measured under `wrangler dev` (4.86): after a SIGKILL of the server the
 * local engine does not pick an instance up again; so every path sends a heartbeat, and a run whose heartbeats stop
 * for STALE_MS is resumed by a new instance that skips the chunks already stored (the SimulationRuns object's alarm,
 * or a read in routes/simulations.ts), up to MAX_ATTEMPTS, then marked failed.
 * Why Workflows and not Queues: the chunks of a run form one job with an end (aggregate when all are done); Workflows
 * gives that shape (ordered durable steps, per-step retries, instance status) without a home-made completion counter,
 * and the instance id is the simulation id, so the status of the job is one call away.
 */
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import type { WorkflowStepConfig } from "cloudflare:workers";
import { type PathResult, type SimulationPlan, parseSimulation, runPaths, summarize } from "../domain/simulation";
import { type SimulationParams, chunkRange, runsStub } from "../durable-objects/simulation-rpc";
import type { SimulationRuns } from "../durable-objects/simulation-runs";

export type { SimulationParams } from "../durable-objects/simulation-rpc";

const STEP: WorkflowStepConfig = { retries: { limit: 3, delay: "2 seconds", backoff: "exponential" }, timeout: "15 minutes" };

/** Parsed plans of recent runs in this isolate: a cache only (a miss re-parses the stored request). */
const plans = new Map<string, SimulationPlan>();

/** The bindings the workflow uses (named here: src/env.ts names this file's params type). */
export interface SimulationWorkflowEnv {
  SIMULATION_RUNS: DurableObjectNamespace<SimulationRuns>;
}

async function planOf(env: SimulationWorkflowEnv, p: SimulationParams): Promise<SimulationPlan> {
  const hit = plans.get(p.simulationId);
  if (hit) return hit;
  const text = await runsStub(env, p.tenant).request(p.simulationId);
  if (text === null) throw new Error(`simulation ${p.simulationId}: request not found (expired?)`);
  const plan = parseSimulation(JSON.parse(text));
  if (plans.size >= 2) plans.delete(plans.keys().next().value!);
  plans.set(p.simulationId, plan);
  return plan;
}

export class SimulationWorkflow extends WorkflowEntrypoint<SimulationWorkflowEnv, SimulationParams> {
  override async run(event: WorkflowEvent<SimulationParams>, step: WorkflowStep): Promise<{ simulationId: string }> {
    const p = event.payload;
    const stub = runsStub(this.env, p.tenant);
    try {
      for (let k = 0; k < p.chunks; k++) {
        const [from, to] = chunkRange(p.paths, p.chunks, k);
        await step.do(`paths ${from}-${to - 1}`, STEP, async () => {
          // A resumed run (a new instance after a stall) keeps the chunks an earlier attempt stored.
          if (await stub.hasChunk(p.simulationId, k)) return { chunk: k, done: null, kept: true };
          const plan = await planOf(this.env, p);
          const results: PathResult[] = [];
          for (let i = from; i < to; i++) {
            results.push(...runPaths(plan, i, i + 1, plan.detailPaths));
            await stub.touch(p.simulationId);
            // Let the isolate serve other requests (progress reads) between paths: a step is CPU-bound.
            await new Promise((ok) => setTimeout(ok, 0));
          }
          const v = await stub.putChunk(p.simulationId, k, JSON.stringify(results));
          return { chunk: k, done: v?.progress.done ?? null };
        });
      }
      await step.do("aggregate", STEP, async () => {
        const plan = await planOf(this.env, p);
        const results = (await stub.chunks(p.simulationId)).flatMap((t) => JSON.parse(t) as PathResult[]);
        const result = summarize(plan, results, plan.detailPaths);
        const v = await stub.finish(p.simulationId, JSON.stringify(result));
        plans.delete(p.simulationId);
        return { status: v?.status ?? null };
      });
    } catch (e) {
      await step.do("mark failed", async () => {
        await stub.fail(p.simulationId, String((e as Error)?.message ?? e));
        return { failed: true };
      });
      throw e;
    }
    return { simulationId: p.simulationId };
  }
}
