// /dashboard in headless Chromium against the real local server, seeded through the API: each view shows the API's
// data (a chart's point count and last value equal what the API returns, read from the live Chart.js instance), logs
// no error, requests nothing from another origin, keeps the key out of every URL (sessionStorage only), every
// control takes focus by Tab, and axe-core finds no serious or critical violation. Screenshots: artifacts/.
import { createHash } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, screenshot, seriousAxeViolations, unreachableByKeyboard, type Browser, type WatchedPage } from "./browser";
import { DEV_KEY, authHeaders, startServer, type LocalServer } from "./server";

let server: LocalServer;
let browser: Browser;
const MARKET = "DASH-BTC-PERP";

async function api<T>(method: string, path: string, body?: unknown, key = DEV_KEY): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...authHeaders(key), "content-type": "application/json", ...(method === "GET" ? {} : { "idempotency-key": `dash-${createHash("sha256").update(`${method} ${path} ${JSON.stringify(body)}`).digest("hex")}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await api("PUT", `/v1/markets/${MARKET}`, {
    contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT", fundFloor: "1000",
    adlTrigger: { rule: "drawdown", triggerRatio: "0.3", stopRatio: "0.25" },
  });
  await api("PUT", `/v1/markets/DASH-ETH-PERP`, { contractType: "linear", contractSize: "1", lotSize: "0.01", tickSize: "0.01", settlementAsset: "USDT" });
  await api("POST", `/v1/markets/${MARKET}/insurance-fund/deposits`, { amount: "50000", reference: "seed" });
  // Two liquidations: the first takes a loss fill the fund pays, the second leaves part to ADL.
  for (const [i, mark] of ["9950", "9800"].entries()) {
    await api("POST", `/v1/markets/${MARKET}/liquidations`, {
      markPrice: mark,
      liquidated: { accountId: `b${i}`, side: "long", size: "2", entryPrice: "11000", margin: "2000" },
      executions: [{ quantity: "1", price: "10100" }, { quantity: "0.5", price: "8900" }],
      counterparties: [{ accountId: "s1", side: "short", size: "3", entryPrice: "11500", margin: "3000" }],
      method: "bitmex",
    });
  }
  await api("POST", `/v1/markets/${MARKET}/insurance-fund/withdrawals`, { amount: "1500", reference: "fee sweep", allowBelowFloor: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The live Chart.js instance's datasets: point count, and the last point's y, per dataset. */
async function chartData(page: Page, name: string): Promise<{ label: string; count: number; last: number | null; values: number[] }[]> {
  return page.evaluate((chartName) => {
    const chart = (globalThis as unknown as { adlDashboard: { charts: Record<string, { data: { datasets: { label: string; data: (number | { y: number })[] }[] } }> } }).adlDashboard.charts[chartName];
    if (!chart) return [];
    return chart.data.datasets.map((d) => {
      const values = d.data.map((p) => (typeof p === "number" ? p : p.y));
      return { label: d.label, count: values.length, last: values.at(-1) ?? null, values };
    });
  }, name);
}

async function openDashboard(): Promise<WatchedPage> {
  const watched = await openPage(browser, server.url);
  const res = await watched.page.goto(`${server.url}/dashboard`);
  expect(res?.status()).toBe(200);
  return watched;
}

function assertClean(w: WatchedPage) {
  expect(w.problems).toEqual([]);
  expect(w.foreignRequests).toEqual([]);
}

async function view(page: Page, name: string) {
  await page.locator(`[data-view="${name}"]`).click();
  await page.locator(`#view-${name}`).waitFor({ state: "visible" });
}

describe("/dashboard", () => {
  it("queue: the histogram per side and the top of each queue equal POST /v1/adl/rankings", async () => {
    const w = await openDashboard();
    const { page } = w;
    await view(page, "queue");
    const body = await page.locator("#queue-body").inputValue();
    const expected = await api<{ long: { accountId: string; indicator: number }[]; short: { accountId: string; indicator: number }[] }>("POST", "/v1/adl/rankings", JSON.parse(body));
    await page.locator("#queue-form button[type=submit]").click();
    await expect.poll(async () => (await chartData(page, "queue")).length, { timeout: 15_000 }).toBe(2);
    const [long, short] = await chartData(page, "queue");
    const levels = [...new Set([...expected.long, ...expected.short].map((p) => p.indicator))].sort((a, b) => a - b);
    expect(long?.values).toEqual(levels.map((l) => expected.long.filter((p) => p.indicator === l).length));
    expect(short?.values).toEqual(levels.map((l) => expected.short.filter((p) => p.indicator === l).length));
    expect(long?.values.reduce((a, b) => a + b, 0)).toBe(expected.long.length);
    expect(await page.locator("#queue-long tbody td:nth-child(2)").allTextContents()).toEqual(expected.long.slice(0, 10).map((p) => p.accountId));
    expect(await page.locator("#queue-short tbody td:nth-child(2)").allTextContents()).toEqual(expected.short.slice(0, 10).map((p) => p.accountId));

    // Upload: a file with another batch replaces the pasted one.
    const uploaded = { ...JSON.parse(body), positions: JSON.parse(body).positions.slice(0, 5) };
    await page.setInputFiles("#queue-file", { name: "batch.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(uploaded)) });
    await expect.poll(async () => JSON.parse(await page.locator("#queue-body").inputValue()).positions.length).toBe(5);
    await page.locator("#queue-form button[type=submit]").click();
    await expect.poll(async () => (await chartData(page, "queue")).reduce((s, d) => s + d.values.reduce((a, b) => a + b, 0), 0), { timeout: 15_000 }).toBe(5);
    await page.locator("#queue-example").click();
    await page.locator("#queue-form button[type=submit]").click();
    await expect.poll(async () => (await chartData(page, "queue")).reduce((s, d) => s + d.values.reduce((a, b) => a + b, 0), 0), { timeout: 15_000 }).toBe(expected.long.length + expected.short.length);
    await screenshot(page, "dashboard-queue");
    expect(await unreachableByKeyboard(page)).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    assertClean(w);
    await page.close();
  });

  it("policies: haircut distribution and metrics per policy equal POST /v1/adl/policies/compare", async () => {
    const w = await openDashboard();
    const { page } = w;
    await view(page, "policies");
    const body = JSON.parse(await page.locator("#policies-body").inputValue());
    const expected = await api<{ results: { policy: string; metrics: { gini: string; overshoot: string }; accounts: { haircutOfPnl: string | null }[] }[] }>("POST", "/v1/adl/policies/compare", body);
    await page.locator("#policies-form button[type=submit]").click();
    await expect.poll(async () => (await chartData(page, "policies")).length, { timeout: 15_000 }).toBe(expected.results.length);
    const datasets = await chartData(page, "policies");
    expect(datasets.map((d) => d.label)).toEqual(expected.results.map((r) => r.policy));
    for (const [i, r] of expected.results.entries()) {
      const withPnl = r.accounts.filter((a) => a.haircutOfPnl !== null).length;
      expect(datasets[i]?.count, r.policy).toBe(11);
      expect(datasets[i]?.values.reduce((a, b) => a + b, 0), r.policy).toBe(withPnl);
    }
    const rows = await page.locator("#policies-metrics tbody tr").allTextContents();
    expect(rows.length).toBe(expected.results.length);
    for (const [i, r] of expected.results.entries()) {
      expect(rows[i]).toContain(r.policy);
      expect(rows[i]).toContain(r.metrics.gini);
      expect(rows[i]).toContain(r.metrics.overshoot);
    }
    await screenshot(page, "dashboard-policies");
    expect(await unreachableByKeyboard(page)).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    assertClean(w);
    await page.close();
  });
});

describe("/dashboard served under a non-loopback name", () => {
  let remote: Browser;
  beforeAll(async () => {
    remote = await launchBrowser({ hostRules: "MAP adl-dash.test 127.0.0.1" });
  }, 120_000);
  afterAll(async () => remote?.close());

  it("offers no key, and a key typed in shows that tenant's markets", async () => {
    const origin = `http://adl-dash.test:${server.port}`;
    const w = await openPage(remote, origin);
    const { page } = w;
    await page.goto(`${origin}/dashboard`);
    await page.locator("#key-status").waitFor();
    expect(await page.locator("#api-key").inputValue()).toBe("");
    await expect.poll(() => page.locator("#key-status").textContent()).toContain("no key");
    expect(await page.locator("#market option").count()).toBe(0);
    await page.fill("#api-key", DEV_KEY);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#market option").count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    expect(page.url()).toBe(`${origin}/dashboard`);
    assertClean(w);
    await page.close();
  });
});
