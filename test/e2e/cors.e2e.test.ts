// CORS from a real browser: a page served by a plain Node server on another origin calls the local API (npm start,
// default allow-list http://localhost:* and http://127.0.0.1:*) with Authorization and Idempotency-Key, which makes
// Chromium send a preflight first; the page reads the JSON and the exposed headers. A page on an origin outside the
// list (http://127.0.0.2:<port>, another loopback host) is refused by the browser.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_KEY, authHeaders, freePort, startServer, type LocalServer } from "./server";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let api: LocalServer;
let pages: Server;
let pagePort: number;
let context: BrowserContext;
let page: Page;
let profileDir: string;

beforeAll(async () => {
  execFileSync("bash", [join(ROOT, "scripts/ensure-chromium.sh")], { stdio: "inherit", env: { ...process.env, CHROMIUM_PATH: CHROMIUM } });
  api = await startServer();
  pagePort = await freePort();
  // One blank page; the test drives fetch() from inside it, so the request's Origin is this server's.
  pages = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>cross-origin caller</title><p>caller</p>");
  });
  await new Promise<void>((ok) => pages.listen(pagePort, "0.0.0.0", ok));
  profileDir = mkdtempSync(join(tmpdir(), "adl-cors-chromium-"));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = context.pages()[0] ?? (await context.newPage());
}, 600_000);

afterAll(async () => {
  await context?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  await new Promise((ok) => pages?.close(ok));
  await api?.stop();
});

type Seen = { ok: boolean; status?: number; body?: unknown; requestId?: string | null; replayed?: string | null; error?: string };

/** fetch() run inside the page: the browser applies CORS, including the preflight for these headers. */
function callFromPage(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Seen> {
  return page.evaluate(async ({ url, init }) => {
    try {
      const res = await fetch(url, init);
      return { ok: true, status: res.status, body: await res.json(), requestId: res.headers.get("x-request-id"), replayed: res.headers.get("idempotent-replayed") };
    } catch (e) {
      return { ok: false, error: String(e) };
    }
  }, { url, init });
}

it("a page on http://localhost:<other port> calls the API with Authorization and Idempotency-Key and reads the exposed headers", async () => {
  const market = `CORS-${Date.now().toString(36)}`;
  const put = await fetch(`${api.url}/v1/markets/${market}`, {
    method: "PUT",
    headers: { ...authHeaders(), "content-type": "application/json", "idempotency-key": `cfg-${market}` },
    body: JSON.stringify({ contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT" }),
  });
  expect(put.status).toBe(200);

  await page.goto(`http://localhost:${pagePort}/`);
  const deposit = (key: string) =>
    callFromPage(`${api.url}/v1/markets/${market}/insurance-fund/deposits`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEV_KEY}`, "content-type": "application/json", "idempotency-key": key, "x-request-id": "from-the-page-1" },
      body: JSON.stringify({ amount: "25" }),
    });
  const first = await deposit("dep-cors-1");
  expect(first).toMatchObject({ ok: true, status: 201, requestId: "from-the-page-1", replayed: null });
  expect(first.body).toMatchObject({ balance: "25", asset: "USDT" });
  const again = await deposit("dep-cors-1");
  expect(again).toMatchObject({ ok: true, status: 201, replayed: "true" });
  expect(again.body).toEqual(first.body);

  const fund = await callFromPage(`${api.url}/v1/markets/${market}/insurance-fund`, { method: "GET", headers: { authorization: `Bearer ${DEV_KEY}` } });
  expect(fund).toMatchObject({ ok: true, status: 200, body: { balance: "25" } });
});

it("a page on an origin outside the list (http://127.0.0.2:<port>) cannot read the API: the browser refuses", async () => {
  await page.goto(`http://127.0.0.2:${pagePort}/`);
  const seen = await callFromPage(`${api.url}/v1/adl/rankings`, { method: "POST", headers: { authorization: `Bearer ${DEV_KEY}`, "content-type": "application/json" }, body: "{}" });
  expect(seen.ok).toBe(false);
  expect(seen.error).toMatch(/TypeError|Failed to fetch/);
  // The same preflight from Node shows why: no allow header for that origin.
  const pre = await fetch(`${api.url}/v1/adl/rankings`, { method: "OPTIONS", headers: { origin: `http://127.0.0.2:${pagePort}`, "access-control-request-method": "POST" } });
  expect(pre.headers.get("access-control-allow-origin")).toBeNull();
});
