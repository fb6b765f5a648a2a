// The static pages through the Worker and the ASSETS binding ([assets] in wrangler.toml, built by
// scripts/build-pages.mjs): served with their security headers, public (no key), and unknown assets are 404 problems.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PAGE_CSP } from "../../src/http/pages";

describe("pages", () => {
  for (const [path, marker] of [
    ["/docs", "/assets/scalar/standalone.js"],
    ["/dashboard", "/assets/dashboard.js"],
  ] as const) {
    it(`GET ${path} serves the built page with a same-origin CSP, without a key`, async () => {
      const res = await exports.default.fetch(`http://x${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("content-security-policy")).toBe(PAGE_CSP);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      const html = await res.text();
      expect(html).toContain(marker);
      // Nothing in the page names another origin (no CDN, no font host).
      expect(html).not.toMatch(/\b(src|href)="https?:/);
    });
  }

  it("serves the bundled assets with their content types", async () => {
    const scalar = await exports.default.fetch("http://x/assets/scalar/standalone.js");
    expect(scalar.status).toBe(200);
    expect(scalar.headers.get("content-type")).toMatch(/javascript/);
    expect((await scalar.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    const docs = await exports.default.fetch("http://x/assets/docs.js");
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("withDefaultFonts");
  });

  it("answers an unknown asset or page with a 404 problem, not an asset server page", async () => {
    for (const path of ["/assets/nope.js", "/docs.html", "/dashboard/x"]) {
      const res = await exports.default.fetch(`http://x${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/^application\/problem\+json/);
    }
  });
});
