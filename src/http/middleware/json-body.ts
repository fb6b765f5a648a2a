import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { findOperation, type Operation } from "../operations";
import { ProblemError } from "../problem";

/** Default largest body in bytes when the binding does not set MAX_BODY_BYTES. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
const JSON_MEDIA = /^application\/(?:[\w.-]+\+)?json(?:\s*;.*)?$/i;

export interface JsonBodyOptions {
  /** The documented operations; a function so it is read after every route is registered. */
  operations: () => readonly Operation[];
}

/** Whether the request carries a body: a declared non-zero length, or a stream without a declared length. */
function hasBody(req: Request): boolean {
  const declared = req.headers.get("content-length");
  if (declared !== null) return declared.trim() !== "0";
  return req.body !== null;
}

/**
 * Only for a documented operation (any other request is routed and answered 404 or 405 without its body being
 * read), and only when a body was sent (a body-less PUT or POST is routed like any other request: the operation's
 * own validation says what is missing). For requests with a body: insists on a JSON media type (415), bounds the size before and while reading (413),
 * and parses once (400 on malformed JSON). The parsed value replaces `c.req.json` so the route validator does not
 * parse a 15 MB batch a second time.
 */
export function jsonBody(options: JsonBodyOptions): MiddlewareHandler<AppEnv> {
  let table: readonly Operation[] | undefined;
  return async function jsonBodyMiddleware(c, next) {
    const method = c.req.method;
    if (method !== "POST" && method !== "PUT" && method !== "PATCH") return next();
    table ??= options.operations();
    if (!findOperation(table, method, new URL(c.req.url).pathname)) return next();
    if (!hasBody(c.req.raw)) {
      // No body: validated as an empty object whatever the Content-Type says, so the operation's schema names each
      // missing member (422) instead of the validator failing to parse "" (which surfaced as a 500).
      c.req.json = (() => Promise.resolve({})) as typeof c.req.json;
      return next();
    }
    const limit = Number(c.env?.MAX_BODY_BYTES ?? DEFAULT_MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES;
    const contentType = c.req.header("content-type") ?? "";
    if (!JSON_MEDIA.test(contentType)) {
      throw new ProblemError("unsupported-media-type", `Content-Type must be application/json, got ${JSON.stringify(contentType || "(none)")}`);
    }
    const declared = c.req.header("content-length");
    if (declared !== undefined && Number(declared) > limit) {
      throw new ProblemError("payload-too-large", `Body of ${declared} bytes exceeds the limit of ${limit} bytes`, undefined, { limitBytes: limit });
    }
    // With a declared length within the limit the runtime reads the body natively (fast, and it cannot exceed the
    // declared length); without one (chunked), count bytes while reading.
    const text = declared !== undefined ? await c.req.raw.text() : await readLimited(c.req.raw, limit);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new ProblemError("malformed-json", `Request body is not valid JSON: ${(e as Error).message}`);
    }
    c.req.json = (() => Promise.resolve(parsed)) as typeof c.req.json;
    return next();
  };
}

async function readLimited(req: Request, limit: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new ProblemError("payload-too-large", `Body exceeds the limit of ${limit} bytes`, undefined, { limitBytes: limit });
    }
    chunks.push(value);
  }
  // One chunk (a body handed over whole, as Node's Request gives a string body) is decoded where it lies, not copied.
  let all: Uint8Array;
  if (chunks.length === 1) all = chunks[0]!;
  else {
    all = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      all.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(all);
  } catch {
    throw new ProblemError("malformed-json", "Request body is not valid UTF-8");
  }
}
