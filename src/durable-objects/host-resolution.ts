/**
 * Resolves a webhook URL's host through DNS over HTTPS and judges the addresses (domain/webhooks/resolved-addresses.ts),
 * at endpoint creation and again before every delivery. Workers have no DNS API; the resolver is the deployment's
 * `WEBHOOK_DNS_RESOLVER` (a DoH JSON endpoint; default Cloudflare's), or `off`.
 *
 * What it does not close: DNS rebinding between this check and the fetch's own lookup (Workers can pin neither). On
 * Cloudflare the fetch leaves from Cloudflare's network, where private addresses of the deployment do not exist; the
 * check refuses hosts that are plainly internal and records why.
 *
 * Not resolved: IP literals (url-policy.ts judged them), and loopback hosts when loopback delivery is enabled.
 */
import { type UrlIssue, isLoopbackHost, parseIPv4 } from "../domain/webhooks/url-policy";
import { type DnsJsonAnswer, type ResolverFailure, parseDnsJson, judgeResolvedHost } from "../domain/webhooks/resolved-addresses";

export const DEFAULT_DNS_RESOLVER = "https://cloudflare-dns.com/dns-query";
/** Each lookup's budget; a slower resolver is a failure (creation answers 503, a delivery is retried). */
export const DNS_TIMEOUT_MS = 3_000;

export type HostVerdict = { ok: true } | { ok: false; issue: UrlIssue } | { ok: false; unavailable: string };

export interface ResolutionSettings {
  /** `WEBHOOK_DNS_RESOLVER`: a DoH JSON URL, `off`, or unset (the default resolver). */
  resolver: string | undefined;
  allowLoopback: boolean;
}

export async function checkHostResolution(rawUrl: string, settings: ResolutionSettings, fetcher: typeof fetch = fetch): Promise<HostVerdict> {
  const resolver = settings.resolver?.trim() || DEFAULT_DNS_RESOLVER;
  if (resolver === "off") return { ok: true };
  const host = new URL(rawUrl).hostname.toLowerCase();
  const bare = host.endsWith(".") ? host.slice(0, -1) : host;
  if (parseIPv4(bare) !== null || bare.startsWith("[")) return { ok: true };
  if (settings.allowLoopback && isLoopbackHost(bare)) return { ok: true };
  const answers = await Promise.all(["A", "AAAA"].map((type) => lookup(resolver, bare, type, fetcher)));
  const failed = answers.find((a): a is ResolverFailure => "unavailable" in a);
  if (failed) return { ok: false, unavailable: failed.unavailable };
  const verdict = judgeResolvedHost(bare, answers as DnsJsonAnswer[]);
  if (verdict === null) return { ok: true };
  return "unavailable" in verdict ? { ok: false, unavailable: verdict.unavailable } : { ok: false, issue: verdict };
}

async function lookup(resolver: string, host: string, type: string, fetcher: typeof fetch): Promise<DnsJsonAnswer | ResolverFailure> {
  const url = new URL(resolver);
  url.searchParams.set("name", host);
  url.searchParams.set("type", type);
  try {
    const res = await fetcher(url.toString(), { headers: { accept: "application/dns-json" }, redirect: "manual", signal: AbortSignal.timeout(DNS_TIMEOUT_MS) });
    if (!res.ok) {
      await res.body?.cancel();
      return { unavailable: `the DNS resolver answered HTTP ${res.status}` };
    }
    return parseDnsJson(await res.text());
  } catch (e) {
    return { unavailable: (e as Error)?.name === "TimeoutError" ? `the DNS resolver did not answer within ${DNS_TIMEOUT_MS / 1000} s` : "the DNS resolver could not be reached" };
  }
}
