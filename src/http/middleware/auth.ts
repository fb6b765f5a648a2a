/**
 * API keys: who is calling (authentication, 401), for which exchange (the key's tenant), and whether this operation
 * is allowed (the scope the route declares, 403).
 *
 * Keys live in the API_KEYS secret as records holding only SHA-256 hashes of the keys. A presented key is hashed
 * and compared with every record's hash in constant time (no early exit, no lookup keyed by the secret), so timing
 * says nothing about how much of a key was right. SHA-256 (not a slow password hash) is enough because keys are 256
 * random bits, not human-chosen: there is nothing to guess from a hash.
 *
 * The scope an operation needs is declared once, on its route (`security: requires("fund:read")`), which is also
 * what the OpenAPI document says; this middleware reads it from the route registry, so the two cannot disagree.
 * A /v1 operation that declares no scope is refused (fail closed).
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { pathPattern } from "../operations";
import { ProblemError } from "../problem";
import type { AuthenticatedKey, RateLimitTier, Scope } from "./api-key";
import { RATE_LIMIT_TIERS, SCOPES } from "./api-key";

export { RATE_LIMIT_TIERS, SCOPES } from "./api-key";
export type { AuthenticatedKey, RateLimitTier, Scope } from "./api-key";

/** The name of the OpenAPI security scheme every protected operation refers to. */
export const SECURITY_SCHEME = "bearerAuth";
export const bearerAuthScheme = {
  type: "http" as const,
  scheme: "bearer",
  description:
    "An API key: `Authorization: Bearer adl_...`. Each key belongs to one tenant (exchange) and carries scopes; an operation lists the scope it needs. 401 = missing or unknown key, 403 = the key lacks the scope.",
};

/** `security` of a route that needs `scope` (documents it, and auth enforces it). */
export function requires(scope: Scope): Array<Record<string, string[]>> {
  return [{ [SECURITY_SCHEME]: [scope] }];
}

export interface ApiKeyRecord extends AuthenticatedKey {
  hash: Uint8Array;
  /** Epoch ms after which the key is refused (rotation: give the old key a deadline). */
  notAfterMs?: number;
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;
/** No ':' or '.': Durable Object names are `${tenant}:${marketId}`, so a tenant can never alias another's market. */
const TENANT = /^[A-Za-z0-9_-]{1,64}$/;
const HASH = /^sha256:([0-9a-f]{64})$/;
/** RFC 6750 b64token, bounded. */
const TOKEN = /^[A-Za-z0-9._~+/-]{16,512}=*$/;

export interface ParsedKeys {
  keys: ApiKeyRecord[];
  /** Why records were skipped (index and reason only: nothing secret). */
  problems: string[];
}

/**
 * Parses the API_KEYS secret. A broken record is skipped and reported rather than failing every key, so a typo in
 * one rotation does not lock every tenant out; a record whose hash or id repeats an earlier one is skipped too.
 */
export function parseApiKeys(raw: string | undefined): ParsedKeys {
  const problems: string[] = [];
  const keys: ApiKeyRecord[] = [];
  if (raw === undefined || raw.trim() === "") return { keys, problems: ["API_KEYS is not configured: every /v1 request is refused"] };
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    return { keys, problems: ["API_KEYS is not valid JSON: every /v1 request is refused"] };
  }
  if (!Array.isArray(list)) return { keys, problems: ["API_KEYS must be a JSON array of key records"] };
  const seenIds = new Set<string>();
  const seenHashes = new Set<string>();
  list.forEach((r: unknown, i) => {
    const fail = (why: string) => problems.push(`API_KEYS[${i}] skipped: ${why}`);
    if (!r || typeof r !== "object") return fail("not an object");
    const rec = r as Record<string, unknown>;
    if (typeof rec.id !== "string" || !ID.test(rec.id)) return fail("id must be 1-64 of [A-Za-z0-9._-]");
    if (typeof rec.tenant !== "string" || !TENANT.test(rec.tenant)) return fail("tenant must be 1-64 of [A-Za-z0-9_-]");
    const hash = typeof rec.hash === "string" ? HASH.exec(rec.hash)?.[1] : undefined;
    if (!hash) return fail('hash must be "sha256:" and 64 lowercase hex digits (scripts/mint-key.mjs prints it)');
    if (!Array.isArray(rec.scopes) || rec.scopes.length === 0 || !rec.scopes.every((s) => (SCOPES as readonly unknown[]).includes(s))) {
      return fail(`scopes must be a non-empty list of ${SCOPES.join(", ")}`);
    }
    const tier = rec.rateLimit ?? "standard";
    if (!(RATE_LIMIT_TIERS as readonly unknown[]).includes(tier)) return fail(`rateLimit must be one of ${RATE_LIMIT_TIERS.join(", ")}`);
    let notAfterMs: number | undefined;
    if (rec.notAfter !== undefined) {
      notAfterMs = typeof rec.notAfter === "string" ? Date.parse(rec.notAfter) : Number.NaN;
      if (Number.isNaN(notAfterMs)) return fail("notAfter must be an ISO 8601 timestamp");
    }
    if (seenIds.has(rec.id)) return fail(`duplicate id ${rec.id}`);
    if (seenHashes.has(hash)) return fail("duplicate hash (the same key twice)");
    seenIds.add(rec.id);
    seenHashes.add(hash);
    keys.push({ id: rec.id, tenant: rec.tenant, scopes: [...new Set(rec.scopes as Scope[])], rateLimit: tier as RateLimitTier, hash: hexBytes(hash), notAfterMs });
  });
  return { keys, problems };
}

let cached: { raw: string | undefined; parsed: ParsedKeys } | undefined;

/** Parsed once per isolate per secret value; problems are logged once, when the value is first seen. */
export function configuredKeys(raw: string | undefined): ParsedKeys {
  if (cached && cached.raw === raw) return cached.parsed;
  const parsed = parseApiKeys(raw);
  for (const problem of parsed.problems) console.error(JSON.stringify({ level: "error", msg: "api-keys", problem }));
  cached = { raw, parsed };
  return parsed;
}

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Hex of SHA-256 as stored in API_KEYS (`sha256:<hex>`). */
export async function keyHash(key: string): Promise<string> {
  return `sha256:${Array.from(await sha256(key), (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Equal-length byte arrays compared without an early exit. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** The record whose hash matches the key; every record is compared, whatever matched first. */
export async function findKey(keys: readonly ApiKeyRecord[], presented: string): Promise<ApiKeyRecord | undefined> {
  const digest = await sha256(presented);
  let found: ApiKeyRecord | undefined;
  for (const rec of keys) if (constantTimeEqual(rec.hash, digest) && !found) found = rec;
  return found;
}

/** The token of `Authorization: Bearer <token>`; "missing" without the header, "malformed" for anything else. */
export function bearerToken(header: string | undefined): string | "missing" | "malformed" {
  if (header === undefined || header.trim() === "") return "missing";
  const m = /^Bearer +(\S+) *$/i.exec(header);
  if (!m?.[1] || !TOKEN.test(m[1])) return "malformed";
  return m[1];
}

/** A documented operation and the scopes it needs (empty: it declared none). */
export interface RouteScope {
  method: string;
  pattern: RegExp;
  path: string;
  scopes: Scope[];
}

interface RouteDefinitionLike {
  type: string;
  route?: { method: string; path: string; security?: Array<Record<string, string[]>> };
}

/** Method + path pattern -> required scopes, from the OpenAPI route definitions. */
export function routeScopes(definitions: readonly RouteDefinitionLike[]): RouteScope[] {
  const out: RouteScope[] = [];
  for (const d of definitions) {
    if (d.type !== "route" || !d.route) continue;
    const { method, path, security } = d.route;
    const scopes = (security ?? []).flatMap((req) => req[SECURITY_SCHEME] ?? []) as Scope[];
    out.push({ method: method.toUpperCase(), pattern: pathPattern(path), path, scopes });
  }
  return out;
}

const challenge = (extra = "") => ({ "WWW-Authenticate": `Bearer realm="adl"${extra}` });

export interface AuthOptions {
  /** The operations and their scopes; a function so it can be read after every route is registered. */
  routes: () => readonly RouteScope[];
}

/**
 * 401 without a valid key (before anything else is read: an anonymous caller cannot make the service parse a body),
 * 403 when the key lacks the operation's scope. Sets tenantId and apiKey for the rest of the request.
 */
export function auth(options: AuthOptions): MiddlewareHandler<AppEnv> {
  let table: readonly RouteScope[] | undefined;
  return async function authMiddleware(c, next) {
    const token = bearerToken(c.req.header("authorization"));
    if (token === "missing") {
      throw new ProblemError("unauthorized", "Send an API key: Authorization: Bearer <key>", undefined, undefined, challenge());
    }
    const { keys } = configuredKeys(c.env?.API_KEYS);
    const key = token === "malformed" ? undefined : await findKey(keys, token);
    if (!key) {
      throw new ProblemError("unauthorized", "The API key is malformed, unknown or revoked", undefined, undefined, challenge(', error="invalid_token"'));
    }
    if (key.notAfterMs !== undefined && Date.now() > key.notAfterMs) {
      throw new ProblemError("unauthorized", `API key ${key.id} has expired; use its replacement`, undefined, undefined, challenge(', error="invalid_token"'));
    }
    c.set("tenantId", key.tenant);
    c.set("apiKey", { id: key.id, tenant: key.tenant, scopes: key.scopes, rateLimit: key.rateLimit });

    table ??= options.routes();
    const path = new URL(c.req.url).pathname;
    const route = table.find((r) => r.method === c.req.method && r.pattern.test(path));
    // No operation here: let the app answer 404/405 (only to an authenticated caller, so routes are not probed anonymously).
    if (route) {
      if (route.scopes.length === 0) {
        console.error(JSON.stringify({ level: "error", msg: "route declares no scope", route: `${route.method} ${route.path}` }));
        throw new ProblemError("forbidden", "This operation declares no scope, so no key may call it");
      }
      const missing = route.scopes.filter((s) => !key.scopes.includes(s));
      if (missing.length > 0) {
        throw new ProblemError(
          "forbidden",
          `API key ${key.id} lacks scope ${missing.join(", ")} needed for ${route.method} ${route.path}`,
          undefined,
          { requiredScopes: route.scopes },
          challenge(`, error="insufficient_scope", scope="${route.scopes.join(" ")}"`),
        );
      }
    }
    return next();
  };
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
