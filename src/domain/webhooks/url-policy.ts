/**
 * Which webhook URLs the service may call (SSRF). Pure: the URL text and the deployment's setting come in, the
 * refusals (field errors) go out.
 *
 * What is checked, at creation and again before every delivery:
 *   - scheme `https` (plain `http` only when loopback delivery is enabled for local development), no user:password;
 *   - the host, after WHATWG URL parsing (which turns `2130706433`, `0x7f.1`, `127.1` into `127.0.0.1` and
 *     normalises IPv6), is not a literal private, loopback, link-local, unspecified, CGNAT, benchmark, multicast or
 *     reserved address, in IPv4 or IPv6, including IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible, NAT64
 *     (`64:ff9b::/96`) and 6to4 (`2002::/16`) forms carrying such an IPv4 address;
 *   - the host is not a name that denotes the local machine or a private network: `localhost` and `*.localhost`,
 *     single-label names, and the special-use suffixes `.local`, `.internal`, `.home.arpa`, `.localdomain`, `.lan`,
 *     `.intranet`, `.corp`, `.test`, `.invalid`, `.example` (RFC 6761/6762/8375 and common private zones).
 * What a public DNS name resolves to is judged apart (resolved-addresses.ts, through DNS over HTTPS: it needs the
 * network), with the caveat written there: DNS rebinding between that check and the fetch cannot be closed in Workers.
 * With loopback delivery enabled (local development only), loopback hosts (`localhost`, `127.0.0.0/8`, `::1`) over
 * http or https are accepted; every other private address is still refused.
 */

export interface UrlPolicy {
  allowLoopback: boolean;
}

export interface UrlIssue {
  code: string;
  detail: string;
}

export const MAX_URL_LENGTH = 2048;

const PRIVATE_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".localdomain", ".lan", ".intranet", ".corp", ".test", ".invalid", ".example"];

/** Null when the URL may be called; otherwise why not. */
export function checkWebhookUrl(raw: string, policy: UrlPolicy): UrlIssue | null {
  if (raw.length > MAX_URL_LENGTH) return { code: "too_long", detail: `at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { code: "invalid_url", detail: "must be an absolute URL such as https://example.com/hooks/adl" };
  }
  if (url.username !== "" || url.password !== "") return { code: "credentials_in_url", detail: "must not contain user:password; authenticate the request by its signature" };
  if (url.hash !== "") return { code: "fragment_in_url", detail: "must not contain a #fragment" };
  const host = url.hostname.toLowerCase();
  const loopback = isLoopbackHost(host);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && policy.allowLoopback && loopback)) {
    return { code: "https_required", detail: policy.allowLoopback ? "must use https (http only to a loopback host in local development)" : "must use https" };
  }
  if (loopback) {
    if (policy.allowLoopback) return null;
    return { code: "private_address", detail: `host ${host} is a loopback address; webhook URLs must be public (loopback delivery is enabled only in local development)` };
  }
  const kind = addressKind(host);
  if (kind) return { code: "private_address", detail: `host ${host} is a ${kind} address; webhook URLs must be public` };
  if (!host.includes(".")) return { code: "private_address", detail: `host ${host} is a single-label name (resolved on a private network); use a public DNS name` };
  const bare = host.endsWith(".") ? host.slice(0, -1) : host;
  const suffix = PRIVATE_SUFFIXES.find((s) => bare.endsWith(s) || bare === s.slice(1));
  if (suffix) return { code: "private_address", detail: `host ${host} is under ${suffix}, a private or special-use name; use a public DNS name` };
  return null;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.endsWith(".") ? host.slice(0, -1) : host;
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const v4 = parseIPv4(h);
  if (v4 !== null) return v4[0] === 127;
  const v6 = parseIPv6(stripBrackets(h));
  if (v6 === null) return false;
  if (v6.every((w, i) => w === (i === 7 ? 1 : 0))) return true;
  const embedded = embeddedIPv4(v6);
  return embedded !== null && embedded[0] === 127;
}

/** The kind of non-public address a literal IP host is, or null (a public address, or not a literal). */
export function addressKind(host: string): string | null {
  const v4 = parseIPv4(host);
  if (v4 !== null) return ipv4Kind(v4);
  const v6 = parseIPv6(stripBrackets(host));
  if (v6 !== null) return ipv6Kind(v6);
  return null;
}

function stripBrackets(h: string): string {
  return h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
}

/** Dotted-quad only: the URL parser has already canonicalised every other IPv4 spelling. */
export function parseIPv4(h: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function ipv4Kind([a, b, c]: number[]): string | null {
  if (a === undefined || b === undefined || c === undefined) return null;
  if (a === 0) return "unspecified ('this network', 0.0.0.0/8)";
  if (a === 10) return "private (10.0.0.0/8)";
  if (a === 127) return "loopback (127.0.0.0/8)";
  if (a === 100 && b >= 64 && b <= 127) return "shared CGNAT (100.64.0.0/10)";
  if (a === 169 && b === 254) return "link-local (169.254.0.0/16, cloud metadata)";
  if (a === 172 && b >= 16 && b <= 31) return "private (172.16.0.0/12)";
  if (a === 192 && b === 0 && c === 0) return "IETF protocol assignment (192.0.0.0/24)";
  if (a === 192 && b === 0 && c === 2) return "documentation (192.0.2.0/24)";
  if (a === 192 && b === 168) return "private (192.168.0.0/16)";
  if (a === 198 && (b === 18 || b === 19)) return "benchmarking (198.18.0.0/15)";
  if (a === 198 && b === 51 && c === 100) return "documentation (198.51.100.0/24)";
  if (a === 203 && b === 0 && c === 113) return "documentation (203.0.113.0/24)";
  if (a >= 224 && a <= 239) return "multicast (224.0.0.0/4)";
  if (a >= 240) return "reserved (240.0.0.0/4, broadcast)";
  return null;
}

/** Eight 16-bit words, or null. Accepts `::` compression and a trailing dotted IPv4 (`::ffff:1.2.3.4`). */
export function parseIPv6(h: string): number[] | null {
  if (!h.includes(":") || !/^[0-9a-f:.]+$/i.test(h)) return null;
  let text = h;
  const lastColon = text.lastIndexOf(":");
  const last = text.slice(lastColon + 1);
  if (last.includes(".")) {
    const v4 = parseIPv4(last);
    if (!v4) return null;
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const words = (s: string) => (s === "" ? [] : s.split(":"));
  const head = words(halves[0] ?? "");
  const rest = halves.length === 2 ? words(halves[1] ?? "") : [];
  if (![...head, ...rest].every((w) => /^[0-9a-f]{1,4}$/i.test(w))) return null;
  const nums = (ws: string[]) => ws.map((w) => Number.parseInt(w, 16));
  if (halves.length === 1) return head.length === 8 ? nums(head) : null;
  const missing = 8 - head.length - rest.length;
  if (missing < 1) return null;
  return [...nums(head), ...new Array<number>(missing).fill(0), ...nums(rest)];
}

/** The IPv4 address carried by a mapped, compatible, NAT64 or 6to4 IPv6 address. */
function embeddedIPv4(w: number[]): number[] | null {
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255];
  const zero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && w[5] === 0xffff) return v4(w[6]!, w[7]!); // ::ffff:a.b.c.d (mapped)
  if (zero(0, 4) && w[4] === 0xffff && w[5] === 0) return v4(w[6]!, w[7]!); // ::ffff:0:a.b.c.d (translated)
  if (zero(0, 6) && !(w[6] === 0 && (w[7] === 0 || w[7] === 1))) return v4(w[6]!, w[7]!); // ::a.b.c.d (compatible)
  if (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 6)) return v4(w[6]!, w[7]!); // 64:ff9b::/96 (NAT64)
  if (w[0] === 0x2002) return v4(w[1]!, w[2]!); // 2002:V4::/16 (6to4)
  return null;
}

function ipv6Kind(w: number[]): string | null {
  if (w.every((x) => x === 0)) return "unspecified (::)";
  if (w.every((x, i) => x === (i === 7 ? 1 : 0))) return "loopback (::1)";
  const embedded = embeddedIPv4(w);
  if (embedded) {
    const kind = ipv4Kind(embedded);
    if (kind) return `IPv6 form of an IPv4 ${kind}`;
  }
  const first = w[0]!;
  if ((first & 0xfe00) === 0xfc00) return "unique local (fc00::/7)";
  if ((first & 0xffc0) === 0xfe80) return "link-local (fe80::/10)";
  if ((first & 0xffc0) === 0xfec0) return "site-local (fec0::/10, deprecated)";
  if ((first & 0xff00) === 0xff00) return "multicast (ff00::/8)";
  if (first === 0x2001 && w[1] === 0x0db8) return "documentation (2001:db8::/32)";
  if (first === 0x0100 && w[1] === 0 && w[2] === 0 && w[3] === 0) return "discard-only (100::/64)";
  return null;
}
