/**
 * Validation of large position batches without walking 100k objects through zod (which, inside workerd where eval
 * is disallowed, runs without its JIT). The zod schema stays the single source of truth:
 *   - a plain loop checks each position against exactly the rules of the `Position` schema (the same wire rule of
 *     src/domain/num/decimal-syntax.ts, the same strictness: a member the schema does not declare fails the loop);
 *   - when every position passes, zod validates the rest of the body (with the array emptied) and the array is
 *     re-attached as is;
 *   - when any position fails, the whole body goes through zod, so every error (pointer, code, message) is zod's.
 * test/node/fast-batch.test.ts proves the loop accepts exactly what `Position` accepts, on generated hostile input.
 */
import type { RouteConfig } from "@hono/zod-openapi";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { ZodType, z } from "zod";
import type { AppEnv } from "../env";
import { DECIMAL_MAX_LENGTH, EDGE_DECIMAL_RE as DECIMAL_RE, EDGE_POSITIVE_RE as POSITIVE_RE, UNSIGNED_DECIMAL_MAX_LENGTH } from "../domain/num/decimal-syntax";
import { MAX_ACCOUNT_ID_LENGTH as ACCOUNT_ID_MAX } from "../domain/position";
import { ACCOUNT_ID_RE } from "./schemas/common";
import { MAX_BATCH_POSITIONS } from "./schemas/engine";
import { validationHook } from "./validation";

/** The members `Position` declares (test/node/fast-batch.test.ts checks it is the schema's shape). */
export const POSITION_MEMBERS = ["accountId", "side", "size", "entryPrice", "margin", "accountValue"] as const;
const POSITION_MEMBER_SET: ReadonlySet<string> = new Set(POSITION_MEMBERS);

const isPositive = (s: unknown): boolean => typeof s === "string" && s.length <= UNSIGNED_DECIMAL_MAX_LENGTH && POSITIVE_RE.test(s);

/** True iff `Position` (src/http/schemas/engine.ts) would accept `p`. */
export function isValidPosition(p: unknown): boolean {
  if (typeof p !== "object" || p === null || Array.isArray(p)) return false;
  const o = p as Record<string, unknown>;
  const id = o.accountId;
  if (typeof id !== "string" || id.length < 1 || id.length > ACCOUNT_ID_MAX || !ACCOUNT_ID_RE.test(id)) return false;
  if (o.side !== "long" && o.side !== "short") return false;
  const { size, entryPrice, margin, accountValue } = o;
  if (!isPositive(size) || !isPositive(entryPrice) || !isPositive(margin)) return false;
  if (accountValue !== undefined && (typeof accountValue !== "string" || accountValue.length > DECIMAL_MAX_LENGTH || !DECIMAL_RE.test(accountValue))) return false;
  // Strict like the schema: any other member (zod walks `for...in` too) sends the batch to zod, which names it.
  for (const k in o) if (!POSITION_MEMBER_SET.has(k)) return false;
  return true;
}

export function isValidPositionArray(a: unknown): a is unknown[] {
  if (!Array.isArray(a) || a.length > MAX_BATCH_POSITIONS) return false;
  for (let i = 0; i < a.length; i++) if (!isValidPosition(a[i])) return false;
  return true;
}

/**
 * The body validated as `schema.safeParse(body)` would, with the position batch under `key` checked by the loop when
 * it can be: the same success, data and (through zod) issues. Pure, so the property test can compare it with zod.
 */
export function validateBatchBody<S extends ZodType>(schema: S, key: string, body: unknown): ReturnType<S["safeParse"]> {
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const batch = (body as Record<string, unknown>)[key];
    if (isValidPositionArray(batch)) {
      const rest = schema.safeParse({ ...(body as object), [key]: [] });
      if (rest.success) return { success: true, data: { ...(rest.data as object), [key]: batch } } as ReturnType<S["safeParse"]>;
    }
  }
  return schema.safeParse(body) as ReturnType<S["safeParse"]>;
}

/**
 * JSON body validator for a route whose body has one large array of positions under `key`; sets the validated data
 * exactly as the zod-openapi validator would.
 */
export function batchBodyValidator(schema: ZodType, key: string): MiddlewareHandler<AppEnv> {
  return async function batchBodyValidation(c, next) {
    const result = validateBatchBody(schema, key, await c.req.json());
    if (!result.success) return validationHook({ success: false, error: result.error, target: "json" }, c);
    c.req.addValidatedData("json", result.data as object);
    return next();
  };
}

/**
 * Registers a POST route whose body carries one large position batch under `key`: documented from `route` (its zod
 * schemas) in the OpenAPI registry, validated by batchBodyValidator with the same body schema, and handed the
 * validated body. The one place that bridges the validator's data to a typed handler.
 */
export function registerBatchRoute<S extends ZodType>(
  app: OpenAPIHono<AppEnv>,
  route: RouteConfig,
  schema: S,
  key: string,
  handler: (c: Context<AppEnv>, body: z.infer<S>) => Response | Promise<Response>,
): void {
  app.openAPIRegistry.registerPath(route);
  // OpenAPI writes path parameters as {name}; Hono's router as :name.
  app.post(route.path.replace(/\{(\w+)\}/g, ":$1"), batchBodyValidator(schema, key), (c) => handler(c, c.req.valid("json" as never) as z.infer<S>));
}
