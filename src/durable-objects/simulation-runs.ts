/**
 * One tenant's stress runs (issue 12): the run records, their progress and their results, durably. Thin: each RPC
 * method is one synchronous SQLite transaction over simulation-store.ts; the computing happens in the Workflow's
 * steps (src/workflows/simulation-workflow.ts) or, for a small run, in the request. A run becomes "succeeded" only in
 * the transaction that stores its whole result. Expired runs are deleted by an alarm (and skipped by every read).
 */
import { DurableObject } from "cloudflare:workers";
import { type CreateOutcome, type CreateRun, MAX_ATTEMPTS, type RunView, STALE_MS, type SimulationParams, chunkRange, instanceId, view } from "./simulation-rpc";
import { RESULT_RETENTION_MS, type RunRow, SimulationStore } from "./simulation-store";

/** The one binding it uses, named here (src/env.ts names this class: importing it would close a circle). */
export interface SimulationRunsEnv {
  SIMULATIONS_WORKFLOW: Workflow<SimulationParams>;
}

/**
 * Besides the runs, the object keeps one alarm: at the earliest of the next expiry and the next moment an active
 * run would be stalled (its last heartbeat + STALE_MS). The alarm deletes expired runs and resumes stalled ones with a
 * new Workflow instance (or marks them failed after MAX_ATTEMPTS), so a run whose server was killed finishes even if
 * nobody reads it. Alarms are durable: one set before a kill fires after the restart.
 */
export class SimulationRuns extends DurableObject<SimulationRunsEnv> {
  private readonly store: SimulationStore;

  constructor(ctx: DurableObjectState, env: SimulationRunsEnv) {
    super(ctx, env);
    this.store = new SimulationStore(ctx.storage.sql);
    ctx.blockConcurrencyWhile(async () => this.store.migrate());
  }

  async create(c: CreateRun): Promise<CreateOutcome> {
    const now = Date.now();
    const out = this.ctx.storage.transactionSync((): CreateOutcome => {
      this.store.purgeExpired(now);
      const prior = this.store.runByKey(c.idempotencyKey);
      if (prior) {
        if (prior.digest !== c.digest) return { ok: false, slug: "idempotency-key-reused", detail: "Idempotency-Key was already used for a different simulation request" };
        const result = prior.status === "succeeded" ? this.store.blob(prior.id, "result") ?? undefined : undefined;
        return { ok: true, run: view(prior), replayed: true, ...(result ? { result } : {}) };
      }
      const done = c.result !== undefined;
      const row: RunRow = {
        id: c.id, status: done ? "succeeded" : "queued", idempotency_key: c.idempotencyKey, digest: c.digest,
        chunks: c.chunks, chunks_done: done ? c.chunks : 0, paths: c.paths, paths_done: done ? c.paths : 0,
        error: null, attempt: done ? 0 : 1, created_at: now, updated_at: now, expires_at: now + RESULT_RETENTION_MS, tenant: c.tenant,
      };
      this.store.insertRun(row);
      this.store.putBlob(c.id, "request", c.request);
      if (done) this.store.putBlob(c.id, "result", c.result!);
      return { ok: true, run: view(row), replayed: false, ...(done ? { result: c.result! } : {}) };
    });
    await this.scheduleAlarm();
    return out;
  }

  /** A run and, when it succeeded, its result text; null when unknown or expired. */
  async get(id: string): Promise<{ run: RunView; result?: string } | null> {
    const r = this.store.run(id);
    if (!r || r.expires_at <= Date.now()) return null;
    const result = r.status === "succeeded" ? this.store.blob(id, "result") ?? undefined : undefined;
    return { run: view(r), ...(result ? { result } : {}) };
  }

  async request(id: string): Promise<string | null> {
    return this.store.blob(id, "request");
  }

  /** Stores chunk k's path results (a retried step stores the same text again: idempotent) and recounts progress. */
  async putChunk(id: string, k: number, text: string): Promise<RunView | null> {
    const now = Date.now();
    return this.ctx.storage.transactionSync(() => {
      const r = this.store.run(id);
      if (!r || r.status === "succeeded" || r.status === "failed") return r ? view(r) : null;
      this.store.putBlob(id, `chunk:${k}`, text);
      this.store.recountProgress(id, (j) => { const [a, b] = chunkRange(r.paths, r.chunks, j); return b - a; }, now);
      return view(this.store.run(id)!);
    });
  }

  /** A path finished (progress heartbeat: a run whose heartbeats stop is stalled, see the routes). */
  async touch(id: string): Promise<void> {
    this.store.touch(id, Date.now());
  }

  async hasChunk(id: string, k: number): Promise<boolean> {
    return this.store.hasBlob(id, `chunk:${k}`);
  }

  /**
   * Resumes a stalled run (no heartbeat for STALE_MS) with a new Workflow instance that continues from the stored
   * chunks, or marks it failed once it has used MAX_ATTEMPTS; a run that is not stalled (it moved, or someone else
   * resumed it) is left as it is. The one resume path: the alarm calls it for every stalled run, a read of a stalled
   * run calls it too (with the reader's tenant, for runs stored before the tenant was). Returns the run as it now is.
   */
  async resumeStalled(id: string, tenant: string): Promise<RunView | null> {
    const claimed = this.claim(id, STALE_MS, MAX_ATTEMPTS, Date.now());
    const r = this.store.run(id);
    if (claimed && r) {
      try {
        await this.env.SIMULATIONS_WORKFLOW.create({ id: instanceId(id, claimed.attempt), params: { tenant, simulationId: id, paths: r.paths, chunks: r.chunks } });
      } catch (e) {
        // The attempt is counted: the next stall check (STALE_MS on) claims again, and MAX_ATTEMPTS ends it as failed.
        console.error(`simulation ${id}: could not start attempt ${claimed.attempt}: ${String((e as Error)?.message ?? e)}`);
      }
    }
    return r ? view(r) : null;
  }

  /**
   * Claims the next attempt of a stalled run (no heartbeat since `staleMs`): returns its number, or null when the run
   * is not stalled (someone else resumed it, or it moved) or has used `maxAttempts` (then it is marked failed).
   */
  private claim(id: string, staleMs: number, maxAttempts: number, now: number): { attempt: number } | null {
    return this.ctx.storage.transactionSync(() => {
      const r = this.store.run(id);
      if (!r || (r.status !== "queued" && r.status !== "running") || now - r.updated_at < staleMs) return null;
      if (r.attempt >= maxAttempts) {
        this.store.dropChunks(id);
        this.store.setStatus(id, "failed", `stalled ${maxAttempts} times (no progress for ${staleMs / 1000} s each time)`, now);
        return null;
      }
      this.store.nextAttempt(id, now);
      return { attempt: r.attempt + 1 };
    });
  }

  async chunks(id: string): Promise<string[]> {
    return this.store.chunks(id);
  }

  /** The whole result and "succeeded", in one transaction; partial chunks are dropped with it. */
  async finish(id: string, result: string): Promise<RunView | null> {
    const now = Date.now();
    return this.ctx.storage.transactionSync(() => {
      const r = this.store.run(id);
      if (!r) return null;
      if (r.status === "succeeded" || r.status === "failed") return view(r);
      if (r.chunks_done !== r.chunks) throw new Error(`run ${id}: ${r.chunks_done} of ${r.chunks} chunks stored; refusing to mark it succeeded`);
      this.store.putBlob(id, "result", result);
      this.store.dropChunks(id);
      this.store.setStatus(id, "succeeded", null, now);
      return view(this.store.run(id)!);
    });
  }

  async fail(id: string, error: string): Promise<RunView | null> {
    const now = Date.now();
    return this.ctx.storage.transactionSync(() => {
      const r = this.store.run(id);
      if (!r) return null;
      if (r.status === "succeeded" || r.status === "failed") return view(r);
      this.store.dropChunks(id);
      this.store.setStatus(id, "failed", error.slice(0, 500), now);
      return view(this.store.run(id)!);
    });
  }

  async list(limit: number, after: { createdAt: number; id: string } | null): Promise<{ runs: RunView[]; next: { createdAt: number; id: string } | null }> {
    const rows = this.store.list(limit + 1, after, Date.now());
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { runs: page.map(view), next: rows.length > limit && last ? { createdAt: last.created_at, id: last.id } : null };
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.store.purgeExpired(now);
    for (const r of this.store.active()) {
      if (now - r.updated_at >= STALE_MS && r.tenant !== null) await this.resumeStalled(r.id, r.tenant);
    }
    await this.scheduleAlarm();
  }

  /** The alarm at the earliest of the next expiry and the next stall check of an active run. */
  private async scheduleAlarm(): Promise<void> {
    const watch = this.store.active().filter((r) => r.tenant !== null).map((r) => r.updated_at + STALE_MS);
    const times = [...watch, this.store.nextExpiry() ?? Infinity];
    const next = Math.min(...times);
    if (next !== Infinity) await this.ctx.storage.setAlarm(Math.max(next, Date.now() + 1_000));
  }
}
