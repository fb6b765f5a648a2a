/**
 * The static pages (/docs, /dashboard) and their assets. The files live in the `[assets]` directory that
 * scripts/build-pages.mjs fills (dist/pages); wrangler.toml runs the Worker first, so these routes decide what is
 * served and add the headers an asset cannot carry by itself: a Content-Security-Policy that keeps every request of
 * the page on this origin (no CDN, no fonts, no telemetry, even if a library tried), and no caching of HTML.
 */
import type { Context, Hono } from "hono";
import type { AppEnv } from "../env";
import { ProblemError } from "./problem";

/**
 * `connect-src 'self'`: the page may call only this origin's API. Styles allow inline (Scalar and Chart.js set
 * element styles at run time); scripts do not. `blob:` covers the dashboard's CSV download and Scalar's
 * "download document" link.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const PAGES: Record<string, string> = { "/docs": "/docs.html", "/dashboard": "/dashboard.html" };

async function serveAsset(c: Context<AppEnv>, assetPath: string): Promise<Response> {
  const assets = c.env.ASSETS;
  if (!assets) throw new ProblemError("not-found", "Static pages are not built into this deployment (run scripts/build-pages.mjs)");
  const url = new URL(c.req.url);
  url.pathname = assetPath;
  const upstream = await assets.fetch(new Request(url, { method: c.req.method, headers: c.req.raw.headers }));
  if (upstream.status === 404) throw new ProblemError("not-found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`);
  const res = new Response(upstream.body, upstream);
  res.headers.set("content-security-policy", PAGE_CSP);
  res.headers.set("x-content-type-options", "nosniff");
  res.headers.set("referrer-policy", "no-referrer");
  if (assetPath.endsWith(".html")) res.headers.set("cache-control", "no-cache");
  return res;
}

export function registerPages(app: Hono<AppEnv>) {
  for (const [route, file] of Object.entries(PAGES)) app.get(route, (c) => serveAsset(c, file));
  app.get("/assets/*", (c) => serveAsset(c, new URL(c.req.url).pathname));
}
