import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { findOperation, type Operation } from "../operations";
import { ProblemError, type FieldError } from "../problem";
import { UNRECOGNIZED_KEY, unknownMemberDetail } from "../schemas/strict";
import { toPointer } from "../validation";

export interface StrictQueryOptions {
  /** The documented operations; a function so it is read after every route is registered. */
  operations: () => readonly Operation[];
}

/**
 * Refuses query parameters the operation does not declare (422, one `unrecognized_key` error per name at
 * `#query/<name>`), so `?kind=deposit` on a route without that filter is not silently ignored. The allow-list is
 * the route's zod query schema: a route gains a parameter by declaring it, nothing else to update. Requests for no
 * documented operation pass through (the app answers 404 or 405).
 */
export function strictQuery(options: StrictQueryOptions): MiddlewareHandler<AppEnv> {
  let table: readonly Operation[] | undefined;
  return async function strictQueryMiddleware(c, next) {
    const url = new URL(c.req.url);
    if (url.search === "" || url.search === "?") return next();
    table ??= options.operations();
    const op = findOperation(table, c.req.method, url.pathname);
    if (!op) return next();
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    for (const name of url.searchParams.keys()) {
      if (seen.has(name) || op.queryParams.includes(name)) continue;
      seen.add(name);
      errors.push({ pointer: `#query${toPointer([name])}`, code: UNRECOGNIZED_KEY, detail: unknownMemberDetail(name, op.queryParams, "query parameter") });
    }
    if (errors.length > 0) throw new ProblemError("validation-error", `${errors.length} invalid field(s)`, errors);
    return next();
  };
}
