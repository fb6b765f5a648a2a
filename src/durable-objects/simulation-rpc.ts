/**
 * The SimulationRuns object's RPC contract and what its callers share (the Workflow, the routes): plain data, no
 * imports from `cloudflare:*`, so the HTTP layer and the OpenAPI generator can load it in Node.
 */
import type { RunRow, RunStatus } from "./simulation-store";

export interface RunView {
  simulationId: string;
  status: RunStatus;
  progress: { done: number; total: number };
  chunks: { done: number; total: number };
  error?: string;
  /** Workflow instances started for the run (a stalled run is resumed by a new instance from its stored chunks). */
  attempt: number;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

/**
 * A run none of whose paths finished for this long is stalled (the engine lost its instance: measured under
 * `wrangler dev`, a killed server's instances are not picked up again): it is resumed by a new instance that skips the
 * chunks already stored, by the object's own alarm (nobody needs to read it) or by a read, whichever comes first.
 */
export const STALE_MS = 60_000;
/** Workflow instances a run may use (the first plus resumes); a run stalled this often is marked failed. */
export const MAX_ATTEMPTS = 3;

/** What a SimulationWorkflow instance is started with (by the route, or by the object's watchdog on a resume). */
export interface SimulationParams {
  tenant: string;
  simulationId: string;
  paths: number;
  chunks: number;
}

export interface CreateRun {
  id: string;
  /** The tenant owning the object (the watchdog starts resumed instances with it). */
  tenant: string;
  idempotencyKey: string;
  digest: string;
  request: string;
  paths: number;
  chunks: number;
  /** Set for a run computed within the request: stored as succeeded with its result in the same transaction. */
  result?: string;
}

export type CreateOutcome = { ok: true; run: RunView; replayed: boolean; result?: string } | { ok: false; slug: "idempotency-key-reused"; detail: string };


export function view(r: RunRow): RunView {
  return {
    simulationId: r.id,
    status: r.status,
    progress: { done: r.paths_done, total: r.paths },
    chunks: { done: r.chunks_done, total: r.chunks },
    ...(r.error ? { error: r.error } : {}),
    attempt: r.attempt,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    expiresAt: iso(r.expires_at),
  };
}

/** Paths of chunk k when `paths` are cut into `chunks` balanced pieces: [floor(k*p/c), floor((k+1)*p/c)). */
export function chunkRange(paths: number, chunks: number, k: number): [number, number] {
  return [Math.floor((k * paths) / chunks), Math.floor(((k + 1) * paths) / chunks)];
}

/** Workflow instance id of a run's attempt: the first is the simulation id itself. */
export function instanceId(simulationId: string, attempt: number): string {
  return attempt <= 1 ? simulationId : `${simulationId}-r${attempt}`;
}

/**
 * The tenant's SimulationRuns object (one per tenant: its runs never mix with another's). Generic over the namespace:
 * naming the class here would close a circle (the object imports this file).
 */
export function runsStub<T extends Rpc.DurableObjectBranded>(env: { SIMULATION_RUNS: DurableObjectNamespace<T> }, tenant: string): DurableObjectStub<T> {
  return env.SIMULATION_RUNS.get(env.SIMULATION_RUNS.idFromName(tenant));
}

const iso = (ms: number) => new Date(ms).toISOString();
