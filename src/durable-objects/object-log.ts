/**
 * Log lines of the Durable Objects (metadata only, like the request log), filtered by the same LOG_LEVEL. Besides
 * keeping routine lines out of quiet deployments, this matters to the worker tests (LOG_LEVEL=off): the pinned
 * @cloudflare/vitest-pool-workers 0.15 hangs its teardown when an object aborted between test files still writes to
 * the console (cloudflare/workers-sdk#14180, fixed in 0.18.6, which needs a newer Node than this project's 20).
 */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, off: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, "off">;

export function objectLog(env: { LOG_LEVEL?: string }, level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  const threshold = LEVELS[(env.LOG_LEVEL ?? "info") as keyof typeof LEVELS] ?? LEVELS.info;
  if (LEVELS[level] < threshold) return;
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else console.log(line);
}
