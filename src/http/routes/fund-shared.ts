/**
 * What the market, fund and liquidation routes share: the object for (tenant, market), the request digest that
 * backs idempotency, and the one mapping from the object's tagged failures to problem+json.
 */
import type { Context } from "hono";
import type { RpcResult } from "../../durable-objects/fund-rpc";
import type { AppEnv } from "../../env";
import { ProblemError } from "../problem";

/** One object per (tenant, market): tenants never share a fund, even under the same market id. */
export function fundStub(c: Context<AppEnv>, marketId: string) {
  const ns = c.env.MARKET_FUND;
  return ns.get(ns.idFromName(fundName(c, marketId)));
}

export function fundName(c: Context<AppEnv>, marketId: string): string {
  return `${c.get("tenantId") ?? "default"}:${marketId}`;
}

/** JSON with object keys sorted at every level, so the digest ignores key order and whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the operation and the validated body: what "the same request" means for a key. */
export async function requestDigest(operation: string, body: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(`${operation}\n${canonicalJson(body)}`);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The value of a successful call, or the problem the object named. */
export function unwrap<T>(res: { ok: true; value: T } | { ok: false; problem: { slug: string; detail: string; errors?: { pointer: string; code: string; detail: string }[]; extra?: Record<string, unknown> } }): T {
  if (res.ok) return res.value;
  const p = res.problem;
  throw new ProblemError(p.slug as ConstructorParameters<typeof ProblemError>[0], p.detail, p.errors, p.extra);
}

/** Replays carry this header; the body is byte-for-byte the stored one. */
export function replayHeaders(res: RpcResult<unknown>): Record<string, string> {
  return res.ok && res.replayed ? { "idempotent-replayed": "true" } : {};
}
