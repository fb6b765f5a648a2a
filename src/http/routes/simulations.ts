/**
 * The stress lab's routes (issue 12). POST validates the request and its limits (422 with the limit named, nothing
 * stored), then either computes a small run within the request and stores it (201 with the result) or stores the run
 * and starts its Workflow (202; GET shows the progress). Every run lives in the tenant's SimulationRuns object; a
 * 2xx means it is stored there. Idempotency-Key: the same key and body return the same run; another body is 409.
 * A queued or running run whose Workflow instance is gone, errored or terminated is marked failed when read, so a
 * run is never left "running" forever and never shows a half-written result as succeeded.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { parseSimulation, runPaths, summarize, type SimulationInput } from "../../domain/simulation";
import { type RunView, STALE_MS, instanceId, runsStub } from "../../durable-objects/simulation-rpc";
import type { AppEnv } from "../../env";
import { requires } from "../middleware/auth";
import { ProblemError } from "../problem";
import { problemResponses } from "../schemas/common";
import { IdempotencyHeader } from "../schemas/fund";
import { SimulationIdParam, SimulationList, SimulationListQuery, SimulationRequest, SimulationStatus } from "../schemas/simulations";
import { requestDigest } from "./fund-shared";

const tags = ["Stress lab"];
const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
/** Chunks a Workflow run is cut into (one durable step each): progress moves at least this often. */
const TARGET_CHUNKS = 40;
/** How long a read waits for the Workflow engine's view of a run before answering with the stored status. */
const STATUS_TIMEOUT_MS = 2_000;
/** No path finished for this long: the run is stalled and is resumed by a new Workflow instance. */

export const createSimulationRoute = createRoute({
  method: "post",
  path: "/v1/simulations",
  operationId: "createSimulation",
  tags,
  security: requires("simulations:run"),
  summary: "Simulate a crash on your book: cascades with impact, the fund, ADL under each policy, and the fund needed",
  description:
    "Runs the scenario's price paths over the book: every position the mark crosses is liquidated through the same pure code as POST /v1/markets/{marketId}/liquidations (each event is a request that route accepts), with market impact, cascade rounds, the fund's waterfall and ADL under every policy on the same paths. A small run answers 201 with the result; a larger one 202, computed by a Workflow (GET it for progress). Limits (positions, paths x steps, output size) are refused up front with the limit named.",
  request: { headers: IdempotencyHeader, body: { required: true, ...json(SimulationRequest) } },
  responses: {
    201: { description: "Computed within the request and stored", ...json(SimulationStatus) },
    202: { description: "Stored and started; GET /v1/simulations/{simulationId} for progress and the result", ...json(SimulationStatus) },
    ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429),
  },
});

export const getSimulationRoute = createRoute({
  method: "get",
  path: "/v1/simulations/{simulationId}",
  operationId: "getSimulation",
  tags,
  security: requires("simulations:read"),
  summary: "A run's status, progress and (once succeeded) its result",
  description: "status is queued, running, succeeded or failed; progress counts the paths computed and stored. result is present only once the run succeeded, whole (never a partial result). 404 for an unknown id, another tenant's, or one past its retention.",
  request: { params: SimulationIdParam },
  responses: { 200: { description: "The run", ...json(SimulationStatus) }, ...problemResponses(401, 403, 404, 422, 429) },
});

export const listSimulationsRoute = createRoute({
  method: "get",
  path: "/v1/simulations",
  operationId: "listSimulations",
  tags,
  security: requires("simulations:read"),
  summary: "The tenant's runs, newest first (cursor-paginated; results are kept for the retention period)",
  description: "Each run's id, status and progress, without results (GET by id for those). Pass nextCursor as cursor for older runs.",
  request: { query: SimulationListQuery },
  responses: { 200: { description: "A page of runs", ...json(SimulationList) }, ...problemResponses(401, 403, 422, 429) },
});

function tenantOf(c: Context<AppEnv>): string {
  return c.get("tenantId") ?? "default";
}

/**
 * A run the Workflow no longer carries is resumed or marked failed: never "running" forever. Stalled (no path
 * finished for STALE_MS: the engine lost the instance, e.g. the server was killed): a new instance continues from
 * the stored chunks, up to MAX_ATTEMPTS (SimulationRuns.resumeStalled, which the object's alarm also calls unread). Errored
 * or terminated, or gone: failed.
 */
async function reconcile(c: Context<AppEnv>, run: RunView): Promise<RunView> {
  if (run.status !== "queued" && run.status !== "running") return run;
  const stub = runsStub(c.env, tenantOf(c));
  if (Date.now() - Date.parse(run.updatedAt) >= STALE_MS) {
    return (await stub.resumeStalled(run.simulationId, tenantOf(c))) ?? run;
  }
  let why: string | null = null;
  try {
    // Bounded: a status the engine cannot give promptly (it is restarting) leaves the run as stored, for a later read.
    const s = await Promise.race([
      c.env.SIMULATIONS_WORKFLOW.get(instanceId(run.simulationId, run.attempt)).then((i) => i.status()),
      new Promise<null>((ok) => setTimeout(() => ok(null), STATUS_TIMEOUT_MS)),
    ]);
    if (s && (s.status === "errored" || s.status === "terminated")) why = `workflow ${s.status}${s.error ? `: ${s.error.message}` : ""}`;
  } catch (e) {
    why = `workflow instance not found: ${String((e as Error)?.message ?? e)}`;
  }
  if (why === null) return run;
  return (await stub.fail(run.simulationId, why)) ?? run;
}

function body(run: RunView, result?: string): string {
  // The stored result text is spliced in as is: it is already the JSON the schema documents (no re-encoding).
  const head = JSON.stringify(run);
  return result === undefined ? head : `${head.slice(0, -1)},"result":${result}}`;
}

export function registerSimulations(app: OpenAPIHono<AppEnv>) {
  app.openapi(createSimulationRoute, async (c) => {
    const input = c.req.valid("json") as SimulationInput;
    const key = c.req.valid("header")["idempotency-key"];
    const plan = parseSimulation(input); // 422 with pointers and named limits; nothing stored
    const digest = await requestDigest("simulation", input);
    const stub = runsStub(c.env, tenantOf(c));
    const id = `sim_${crypto.randomUUID()}`;
    const chunks = Math.min(plan.paths, TARGET_CHUNKS);
    const result = plan.inline ? JSON.stringify(summarize(plan, runPaths(plan, 0, plan.paths, plan.detailPaths), plan.detailPaths)) : undefined;
    const out = await stub.create({ id, tenant: tenantOf(c), idempotencyKey: key, digest, request: JSON.stringify(input), paths: plan.paths, chunks, ...(result ? { result } : {}) });
    if (!out.ok) throw new ProblemError(out.slug, out.detail);
    const headers: Record<string, string> = { "content-type": "application/json", location: `/v1/simulations/${out.run.simulationId}` };
    if (out.replayed) headers["idempotent-replayed"] = "true";
    if (!out.replayed && !plan.inline) {
      try {
        await c.env.SIMULATIONS_WORKFLOW.create({ id, params: { tenant: tenantOf(c), simulationId: id, paths: plan.paths, chunks } });
      } catch (e) {
        await stub.fail(id, `could not start the workflow: ${String((e as Error)?.message ?? e)}`);
        throw e;
      }
    }
    const run = out.replayed ? await reconcile(c, out.run) : out.run;
    return c.body(body(run, out.result), run.status === "succeeded" && out.result !== undefined && plan.inline ? 201 : 202, headers) as never;
  });

  app.openapi(getSimulationRoute, async (c) => {
    const { simulationId } = c.req.valid("param");
    const got = await runsStub(c.env, tenantOf(c)).get(simulationId);
    if (!got) throw new ProblemError("not-found", `No simulation ${simulationId} (unknown, another tenant's, or past its retention)`);
    const run = await reconcile(c, got.run);
    return c.body(body(run, got.result), 200, { "content-type": "application/json" }) as never;
  });

  app.openapi(listSimulationsRoute, async (c) => {
    const q = c.req.valid("query");
    let after: { createdAt: number; id: string } | null = null;
    if (q.cursor !== undefined) {
      try {
        const v = JSON.parse(atob(q.cursor.replace(/-/g, "+").replace(/_/g, "/"))) as { createdAt: unknown; id: unknown };
        if (typeof v.createdAt !== "number" || typeof v.id !== "string") throw new Error("shape");
        after = { createdAt: v.createdAt, id: v.id };
      } catch {
        throw new ProblemError("validation-error", "invalid cursor", [{ pointer: "/cursor", code: "invalid_cursor", detail: "use nextCursor from the previous page" }]);
      }
    }
    const page = await runsStub(c.env, tenantOf(c)).list(q.limit ?? 20, after);
    const nextCursor = page.next ? btoa(JSON.stringify(page.next)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") : null;
    return c.json({ simulations: page.runs, nextCursor }, 200);
  });
}
