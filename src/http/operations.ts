/**
 * The documented operations as a lookup table, read from the OpenAPI route registry (the same definitions the
 * document is generated from), so what a middleware enforces per operation cannot drift from what is published.
 */

interface ZodObjectLike {
  shape?: Record<string, unknown>;
}

export interface RouteDefinitionLike {
  type: string;
  route?: {
    method: string;
    path: string;
    security?: Array<Record<string, string[]>>;
    request?: { query?: unknown; body?: { required?: boolean } };
  };
}

export interface Operation {
  /** Upper case, as `Request.method`. */
  method: string;
  /** OpenAPI path template, e.g. `/v1/markets/{marketId}`. */
  path: string;
  pattern: RegExp;
  security: Array<Record<string, string[]>>;
  /** The query parameters the route's zod query schema declares: the only ones it accepts. */
  queryParams: readonly string[];
}

/** A path template as an anchored pattern: each `{param}` is one non-empty segment. */
export function pathPattern(template: string): RegExp {
  const source = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]+");
  return new RegExp(`^${source}$`);
}

export function operationTable(definitions: readonly RouteDefinitionLike[]): Operation[] {
  const out: Operation[] = [];
  for (const d of definitions) {
    if (d.type !== "route" || !d.route) continue;
    const { method, path, security, request } = d.route;
    const shape = (request?.query as ZodObjectLike | undefined)?.shape;
    out.push({ method: method.toUpperCase(), path, pattern: pathPattern(path), security: security ?? [], queryParams: shape ? Object.keys(shape) : [] });
  }
  return out;
}

/** The operation a request is for; HEAD is answered by the GET operation (as Hono routes it). */
export function findOperation(table: readonly Operation[], method: string, pathname: string): Operation | undefined {
  const m = method === "HEAD" ? "GET" : method;
  return table.find((op) => op.method === m && op.pattern.test(pathname));
}
