/**
 * What a webhook host resolves to, judged (SSRF): the second half of the URL policy (url-policy.ts judges the URL's
 * text). Pure: the DNS answers come in as DNS-over-HTTPS JSON (the `application/dns-json` format of Cloudflare's and
 * Google's resolvers: `{ Status, Answer: [{ name, type, TTL, data }] }`, Status an RCODE of RFC 1035 section 4.1.1);
 * the refusal, if any, goes out.
 *
 * A host is refused when any A or AAAA record of it is a non-public address (the kinds url-policy.ts names), and when
 * the name does not exist or has no address. One private address among public ones is enough: the connection may
 * use any of them. CNAME records in the chain are skipped: the addresses at its end are what is judged.
 */
import { type UrlIssue, addressKind } from "./url-policy";

/** DNS record types (RFC 1035 section 3.2.2; RFC 3596 for AAAA). */
export const DNS_TYPE_A = 1;
export const DNS_TYPE_AAAA = 28;
const RCODE_NOERROR = 0;
const RCODE_NXDOMAIN = 3;

export interface DnsJsonAnswer {
  Status: number;
  Answer?: { type: number; data: string }[];
}

/** Why the resolver's answers could not be judged (the caller retries later; nothing is decided). */
export interface ResolverFailure {
  unavailable: string;
}

/** Reads one DNS-over-HTTPS JSON answer; a body of any other shape is a resolver failure. */
export function parseDnsJson(text: string): DnsJsonAnswer | ResolverFailure {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { unavailable: "the DNS resolver's answer is not JSON" };
  }
  const o = raw as { Status?: unknown; Answer?: unknown };
  if (typeof o !== "object" || o === null || typeof o.Status !== "number") return { unavailable: "the DNS resolver's answer has no Status" };
  const answers = Array.isArray(o.Answer) ? o.Answer : [];
  const records = answers.filter((r): r is { type: number; data: string } => typeof r?.type === "number" && typeof r?.data === "string");
  return { Status: o.Status, Answer: records };
}

/**
 * The verdict on a host's A and AAAA answers: null (every address public), a refusal naming the address, or a
 * resolver failure (SERVFAIL, REFUSED and the like: not the host's fault, so not a refusal).
 */
export function judgeResolvedHost(host: string, answers: readonly DnsJsonAnswer[]): UrlIssue | ResolverFailure | null {
  let addresses = 0;
  let nxdomain = false;
  for (const a of answers) {
    if (a.Status === RCODE_NXDOMAIN) nxdomain = true;
    else if (a.Status !== RCODE_NOERROR) return { unavailable: `the DNS resolver answered RCODE ${a.Status} for ${host}` };
    for (const r of a.Answer ?? []) {
      if (r.type !== DNS_TYPE_A && r.type !== DNS_TYPE_AAAA) continue;
      addresses++;
      const kind = addressKind(r.data.toLowerCase());
      if (kind) return { code: "private_address", detail: `host ${host} resolves to ${r.data}, a ${kind} address; webhook URLs must be public` };
    }
  }
  if (addresses === 0) return { code: "unresolvable_host", detail: nxdomain ? `host ${host} does not exist in DNS` : `host ${host} has no A or AAAA record` };
  return null;
}
