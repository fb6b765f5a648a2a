/**
 * The second half of the webhook URL policy: what the host resolves to, through DNS over HTTPS, judged before
 * creation and before every delivery (src/durable-objects/host-resolution.ts, src/domain/webhooks/resolved-addresses.ts).
 * The resolver is a fake fetch answering in the application/dns-json format.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DNS_RESOLVER, checkHostResolution } from "../../src/durable-objects/host-resolution";
import { judgeResolvedHost, parseDnsJson } from "../../src/domain/webhooks/resolved-addresses";

type Zone = Record<string, { A?: string[]; AAAA?: string[]; CNAME?: string; status?: number }>;

/** A DoH JSON resolver over a fixed zone; records every query it was asked. */
function resolver(zone: Zone) {
  const queries: string[] = [];
  const fetcher = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    queries.push(url.toString());
    const name = url.searchParams.get("name")!;
    const type = url.searchParams.get("type") as "A" | "AAAA";
    const entry = zone[name];
    if (!entry) return Response.json({ Status: 3, Answer: [] });
    const answer = [
      ...(entry.CNAME ? [{ name, type: 5, TTL: 60, data: entry.CNAME + "." }] : []),
      ...(entry[type] ?? []).map((data) => ({ name: entry.CNAME ?? name, type: type === "A" ? 1 : 28, TTL: 60, data })),
    ];
    return Response.json({ Status: entry.status ?? 0, Answer: answer });
  }) as typeof fetch;
  return { fetcher, queries };
}

const zone: Zone = {
  "hooks.example.org": { A: ["93.184.216.34"], AAAA: ["2606:2800:220:1:248:1893:25c8:1946"] },
  "rebind.example.org": { A: ["93.184.216.34", "10.0.0.7"] },
  "v6-ula.example.org": { AAAA: ["fd12:3456::1"] },
  "metadata.example.org": { CNAME: "internal.example.org", A: ["169.254.169.254"] },
  "mapped.example.org": { AAAA: ["::ffff:7f00:1"] },
  "noaddr.example.org": {},
  "servfail.example.org": { status: 2 },
};
const settings = { resolver: "https://dns.test/dns-query", allowLoopback: false };

describe("webhook host resolution", () => {
  it("a host whose every address is public passes; A and AAAA are both asked of the configured resolver", async () => {
    const r = resolver(zone);
    expect(await checkHostResolution("https://hooks.example.org/adl", settings, r.fetcher)).toEqual({ ok: true });
    expect(r.queries.sort()).toEqual(["https://dns.test/dns-query?name=hooks.example.org&type=A", "https://dns.test/dns-query?name=hooks.example.org&type=AAAA"]);
  });

  it("one private address among public ones refuses the host, naming the address and its kind", async () => {
    const v = await checkHostResolution("https://rebind.example.org/x", settings, resolver(zone).fetcher);
    expect(v).toEqual({ ok: false, issue: { code: "private_address", detail: expect.stringContaining("resolves to 10.0.0.7, a private (10.0.0.0/8)") } });
  });

  it("IPv6 unique-local, a CNAME to link-local (cloud metadata), and IPv4-mapped loopback are refused", async () => {
    const r = resolver(zone);
    for (const [host, kind] of [["v6-ula.example.org", "fd12:3456::1"], ["metadata.example.org", "169.254.169.254"], ["mapped.example.org", "::ffff:7f00:1"]]) {
      const v = await checkHostResolution(`https://${host}/`, settings, r.fetcher);
      expect(v.ok).toBe(false);
      expect("issue" in v && v.issue).toMatchObject({ code: "private_address", detail: expect.stringContaining(kind!) });
    }
  });

  it("a name that does not exist, or has no address, is refused as unresolvable; a trailing dot is the same name", async () => {
    const r = resolver(zone);
    expect(await checkHostResolution("https://nowhere.example.org/", settings, r.fetcher)).toEqual({ ok: false, issue: { code: "unresolvable_host", detail: "host nowhere.example.org does not exist in DNS" } });
    expect(await checkHostResolution("https://noaddr.example.org/", settings, r.fetcher)).toEqual({ ok: false, issue: { code: "unresolvable_host", detail: "host noaddr.example.org has no A or AAAA record" } });
    expect(await checkHostResolution("https://hooks.example.org./", settings, r.fetcher)).toEqual({ ok: true });
  });

  it("a resolver failure decides nothing: SERVFAIL, HTTP errors, garbage and no connection are 'unavailable'", async () => {
    expect(await checkHostResolution("https://servfail.example.org/", settings, resolver(zone).fetcher)).toEqual({ ok: false, unavailable: expect.stringContaining("RCODE 2") });
    const http500 = (async () => new Response("oops", { status: 500 })) as unknown as typeof fetch;
    expect(await checkHostResolution("https://hooks.example.org/", settings, http500)).toEqual({ ok: false, unavailable: "the DNS resolver answered HTTP 500" });
    const garbage = (async () => new Response("<html>")) as unknown as typeof fetch;
    expect(await checkHostResolution("https://hooks.example.org/", settings, garbage)).toEqual({ ok: false, unavailable: "the DNS resolver's answer is not JSON" });
    const down = (async () => {
      throw new TypeError("fetch failed");
    }) as unknown as typeof fetch;
    expect(await checkHostResolution("https://hooks.example.org/", settings, down)).toEqual({ ok: false, unavailable: "the DNS resolver could not be reached" });
  });

  it("not resolved: IP literals (judged by their text), loopback hosts when loopback delivery is on, and resolver off", async () => {
    const r = resolver(zone);
    expect(await checkHostResolution("https://93.184.216.34/", settings, r.fetcher)).toEqual({ ok: true });
    expect(await checkHostResolution("https://[2606:2800:220:1::1]/", settings, r.fetcher)).toEqual({ ok: true });
    expect(await checkHostResolution("http://localhost:9000/", { ...settings, allowLoopback: true }, r.fetcher)).toEqual({ ok: true });
    expect(await checkHostResolution("https://rebind.example.org/", { ...settings, resolver: "off" }, r.fetcher)).toEqual({ ok: true });
    expect(r.queries).toEqual([]);
  });

  it("unset resolver: Cloudflare's DoH endpoint", async () => {
    const r = resolver(zone);
    await checkHostResolution("https://hooks.example.org/", { resolver: undefined, allowLoopback: false }, r.fetcher);
    expect(r.queries[0]).toBe(`${DEFAULT_DNS_RESOLVER}?name=hooks.example.org&type=A`);
  });

  it("the pure judge: answers of any other shape are resolver failures, not refusals", () => {
    expect(parseDnsJson("{}")).toEqual({ unavailable: "the DNS resolver's answer has no Status" });
    expect(parseDnsJson('{"Status":0,"Answer":[{"type":1,"data":"1.1.1.1"},{"type":"x"}]}')).toEqual({ Status: 0, Answer: [{ type: 1, data: "1.1.1.1" }] });
    expect(judgeResolvedHost("h.example", [{ Status: 0, Answer: [{ type: 1, data: "192.168.1.1" }] }, { Status: 0 }])).toMatchObject({ code: "private_address" });
    expect(judgeResolvedHost("h.example", [{ Status: 5 }])).toEqual({ unavailable: "the DNS resolver answered RCODE 5 for h.example" });
  });
});
