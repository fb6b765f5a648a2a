/**
 * One structured JSON log line per request: what was asked (method, path without the query), what came back (status),
 * how long it took, and who asked (tenant, key id). Never bodies, query strings, headers or keys: positions, account
 * ids and amounts stay out of the logs (SECURITY.md).
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, off: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, "off">;

export interface RequestLog {
  level: Level;
  msg: "request";
  time: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  tenant?: string;
  keyId?: string;
}

export interface LoggingOptions {
  /** Where lines go (default console.log, which Workers Logs / `wrangler tail` collect). */
  sink?: (line: string) => void;
}

/** 5xx is an error of ours, 4xx the caller's (worth seeing, not paging), the rest routine. */
export function levelFor(status: number): Level {
  return status >= 500 ? "error" : status >= 400 ? "warn" : "info";
}

export function logging(options: LoggingOptions = {}): MiddlewareHandler<AppEnv> {
  const sink = options.sink ?? ((line: string) => console.log(line));
  return async function loggingMiddleware(c, next) {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const level = levelFor(status);
    const threshold = LEVELS[(c.env?.LOG_LEVEL ?? "info") as keyof typeof LEVELS] ?? LEVELS.info;
    if (LEVELS[level] < threshold) return;
    const key = c.get("apiKey");
    const line: RequestLog = {
      level,
      msg: "request",
      time: new Date().toISOString(),
      requestId: c.get("requestId"),
      method: c.req.method,
      path: new URL(c.req.url).pathname.slice(0, 256),
      status,
      // Workers clocks advance only across I/O, so this is coarse there; exact enough to see a slow Durable Object.
      durationMs: Math.round(performance.now() - started),
    };
    if (key) {
      line.tenant = key.tenant;
      line.keyId = key.id;
    }
    sink(JSON.stringify(line));
  };
}
