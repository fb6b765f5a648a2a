/**
 * `ADL-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`, the scheme Stripe documents.
 * During a secret rotation the header carries one `v1=` per live secret (newest first); a receiver accepts the
 * request when any of them matches a secret it holds. The time is a parameter (no clock here); HMAC is WebCrypto,
 * deterministic computation available alike in workerd and Node.
 */

export const SIGNATURE_HEADER = "ADL-Signature";
/** Receivers should refuse a signature whose t is further than this from their clock (replay window). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The header value for `body` sent at `unixSeconds`, signed with each secret (at least one). */
export async function signatureHeader(secrets: readonly string[], unixSeconds: number, body: string): Promise<string> {
  if (secrets.length === 0) throw new Error("no signing secret");
  const t = Math.floor(unixSeconds);
  const macs = await Promise.all(secrets.map((s) => hmacSha256Hex(s, `${t}.${body}`)));
  return [`t=${t}`, ...macs.map((m) => `v1=${m}`)].join(",");
}

export interface ParsedSignature {
  t: number;
  v1: string[];
}

/** `t=...,v1=...[,v1=...]`; unknown schemes (v0=, v2=) are ignored, as Stripe's libraries do. Null when malformed. */
export function parseSignatureHeader(header: string | null | undefined): ParsedSignature | null {
  if (!header) return null;
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const [k, v] = part.trim().split("=", 2);
    if (k === "t" && v && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === "v1" && v && /^[0-9a-f]{64}$/.test(v)) v1.push(v);
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}

/**
 * Verifies `header` for `rawBody` against `secret` at `nowSeconds`: "ok", or why not. Compares every candidate in
 * full (no early exit on the first differing byte).
 */
export async function verifySignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): Promise<"ok" | "malformed" | "outside-tolerance" | "mismatch"> {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return "malformed";
  if (Math.abs(nowSeconds - parsed.t) > toleranceSeconds) return "outside-tolerance";
  const expected = await hmacSha256Hex(secret, `${parsed.t}.${rawBody}`);
  let match = false;
  for (const candidate of parsed.v1) {
    let diff = candidate.length ^ expected.length;
    for (let i = 0; i < expected.length; i++) diff |= (candidate.charCodeAt(i) | 0) ^ expected.charCodeAt(i);
    if (diff === 0) match = true;
  }
  return match ? "ok" : "mismatch";
}
