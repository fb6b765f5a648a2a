/**
 * CORS for browser callers (dashboards, notebooks, a risk desk's web page) on another origin.
 *
 * Which origins may read responses is a per-deployment allow-list, the `CORS_ALLOWED_ORIGINS` variable: a comma-
 * separated list of origins (`https://risk.example.com`), origins with any port (`http://localhost:*`), or `*` (any
 * origin). Unset or empty: no cross-origin reads at all, the safe production default; `npm start` passes the local
 * default `http://localhost:*,http://127.0.0.1:*` (scripts/start.mjs). The service authenticates with a bearer key in
 * `Authorization`, which a browser never attaches on its own, so it never sends `Access-Control-Allow-Credentials`:
 * `*` is therefore never combined with credentials. An origin outside the list gets no allow header (the browser then
 * withholds the response); the request itself is processed as any other, CORS is not access control.
 *
 * A preflight (OPTIONS with Origin and Access-Control-Request-Method) is answered here, before authentication: the
 * browser sends it without the Authorization header it asks about.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";

/** Request headers a browser caller may send (Authorization for the key; the rest are the API's own). */
export const CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"] as const;
/** Response headers a browser caller may read beyond the CORS-safelisted ones. */
export const CORS_EXPOSE_HEADERS = ["X-Request-Id", "Idempotent-Replayed", "Retry-After", "RateLimit-Policy", "RateLimit"] as const;
export const CORS_ALLOW_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
/** How long a browser may cache a preflight answer (Chromium caps it at 7,200 s). */
export const CORS_MAX_AGE_SECONDS = 600;

type OriginRule = { kind: "any" } | { kind: "exact"; origin: string } | { kind: "any-port"; prefix: string };

/** `scheme://host` or `scheme://host:port`, lower case, no path: what a browser sends in Origin. */
const ORIGIN_RE = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$/;
const ANY_PORT_RE = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\]):\*$/;

export interface ParsedOrigins {
  rules: OriginRule[];
  /** Entries that are not an origin, an origin with `:*`, or `*`: they match nothing and are reported once. */
  invalid: string[];
}

export function parseAllowedOrigins(list: string | undefined): ParsedOrigins {
  const rules: OriginRule[] = [];
  const invalid: string[] = [];
  for (const raw of (list ?? "").split(",")) {
    const entry = raw.trim().toLowerCase().replace(/\/$/, "");
    if (entry === "") continue;
    if (entry === "*") rules.push({ kind: "any" });
    else if (ANY_PORT_RE.test(entry)) rules.push({ kind: "any-port", prefix: entry.slice(0, -1) });
    else if (ORIGIN_RE.test(entry)) rules.push({ kind: "exact", origin: entry });
    else invalid.push(raw.trim());
  }
  return { rules, invalid };
}

/** The Access-Control-Allow-Origin value for `origin`, or null when the list does not allow it. */
export function allowOrigin(rules: readonly OriginRule[], origin: string): string | null {
  const o = origin.toLowerCase();
  if (!ORIGIN_RE.test(o)) return null; // "null" (sandboxed frames, file:) and anything malformed
  for (const r of rules) {
    if (r.kind === "any") return "*";
    if (r.kind === "exact" && r.origin === o) return origin;
    // `http://localhost:*` allows every port, and the scheme's default port (no port in the Origin).
    if (r.kind === "any-port" && (o === r.prefix.slice(0, -1) || (o.startsWith(r.prefix) && /^[0-9]{1,5}$/.test(o.slice(r.prefix.length))))) return origin;
  }
  return null;
}

export function cors(): MiddlewareHandler<AppEnv> {
  // Parsed once per distinct value (an isolate serves one deployment, so in practice once).
  let cachedFor: string | undefined | null = null;
  let cached: ParsedOrigins = { rules: [], invalid: [] };
  const rulesFor = (list: string | undefined): OriginRule[] => {
    if (list !== cachedFor) {
      cachedFor = list;
      cached = parseAllowedOrigins(list);
      if (cached.invalid.length > 0) {
        console.error(JSON.stringify({ level: "error", msg: "CORS_ALLOWED_ORIGINS entries ignored: not an origin, origin:*, or *", entries: cached.invalid }));
      }
    }
    return cached.rules;
  };
  return async function corsMiddleware(c, next) {
    const origin = c.req.header("origin");
    if (origin === undefined) return next();
    const allowed = allowOrigin(rulesFor(c.env?.CORS_ALLOWED_ORIGINS), origin);
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined) {
      const headers = new Headers({ Vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers" });
      if (allowed !== null) {
        headers.set("Access-Control-Allow-Origin", allowed);
        headers.set("Access-Control-Allow-Methods", CORS_ALLOW_METHODS.join(", "));
        headers.set("Access-Control-Allow-Headers", CORS_ALLOW_HEADERS.join(", "));
        headers.set("Access-Control-Max-Age", String(CORS_MAX_AGE_SECONDS));
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    // The answer depends on Origin: caches must key on it, whether or not this origin was allowed.
    c.res.headers.append("Vary", "Origin");
    if (allowed !== null) {
      c.res.headers.set("Access-Control-Allow-Origin", allowed);
      c.res.headers.set("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS.join(", "));
    }
  };
}
