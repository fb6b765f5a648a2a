/**
 * The methods a path answers, read from the app's own router (every route: the documented operations, the pages,
 * /healthz, /openapi.json), so a wrong method on a known path is told 405 with an `Allow` header (RFC 9110 section
 * 15.5.6) instead of 404, and the list cannot drift from what is routed.
 */
import type { Hono } from "hono";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/** What Hono's router stores per route: the handler and its route record, whose method is "ALL" for middleware. */
type Stored = [unknown, { method: string }];

/** Methods with a route for `path`, in a fixed order; HEAD wherever GET is (Hono answers HEAD with the GET route). */
export function allowedMethods(app: Hono<any, any, any>, path: string): string[] {
  const out: string[] = [];
  for (const method of METHODS) {
    const [matches] = app.router.match(method === "HEAD" ? "GET" : method, path) as unknown as [Array<[Stored, unknown]>];
    if (matches.some(([stored]) => stored[1].method !== "ALL")) out.push(method);
  }
  return out;
}
