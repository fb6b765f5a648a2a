import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";

/** Accepts the caller's X-Request-Id when it is well formed (so traces join up), otherwise mints one. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestIdMiddleware(c, next) {
    const given = c.req.header("x-request-id");
    const id = given && WELL_FORMED.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.res.headers.set("X-Request-Id", id);
  };
}
