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

async function api<T>(method: string, path: string, body?: unknown, key = DEV_KEY, on: LocalServer = server): Promise<T> {
  const res = await fetch(`${on.url}${path}`, {
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

async function openDashboard(on: LocalServer = server): Promise<WatchedPage> {
  const watched = await openPage(browser, on.url);
  const res = await watched.page.goto(`${on.url}/dashboard`);
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
  it("fund: the balance chart, liquidation markers, waterfall, ADL alert and ledger equal the read APIs; CSV downloads the export", async () => {
    const w = await openDashboard();
    const { page } = w;
    await page.locator("#market").selectOption(MARKET);
    const history = await api<{ buckets: { close: string }[] }>("GET", `/v1/markets/${MARKET}/insurance-fund/history?interval=1h`);
    const fund = await api<{ balance: string }>("GET", `/v1/markets/${MARKET}/insurance-fund`);
    const listed = await api<{ liquidations: { liquidationId: string; fund: { balanceAfter: string } }[] }>("GET", `/v1/markets/${MARKET}/liquidations`);
    await expect.poll(async () => (await chartData(page, "fund"))[1]?.count ?? -1, { timeout: 20_000 }).toBe(listed.liquidations.length);
    const [balance, markers] = await chartData(page, "fund");
    expect(balance?.count).toBe(history.buckets.length);
    // The last bucket closes at the balance (the history's contract), and the chart's last point is that close.
    expect(balance?.last).toBe(Number(history.buckets.at(-1)?.close));
    expect(balance?.last).toBe(Number(fund.balance));
    expect(markers?.values).toEqual(listed.liquidations.map((l) => Number(l.fund.balanceAfter)));

    // The waterfall of the newest liquidation: market + fund + ADL + socialised = its size, each part as the API says.
    await page.locator("#liquidations tbody button").first().click();
    const newest = await api<{ liquidationId: string; executions: { quantity: string; fundDelta: string }[]; adl: { filledQuantity: string }; unfilledQuantity: string }>(
      "GET",
      `/v1/markets/${MARKET}/liquidations/${listed.liquidations[0]!.liquidationId}`,
    );
    await expect.poll(async () => (await chartData(page, "waterfall")).length, { timeout: 15_000 }).toBe(4);
    const parts = Object.fromEntries((await chartData(page, "waterfall")).map((d) => [d.label, d.last]));
    const paidByFund = newest.executions.filter((e) => Number(e.fundDelta) < 0).reduce((a, e) => a + Number(e.quantity), 0);
    const market = newest.executions.reduce((a, e) => a + Number(e.quantity), 0) - paidByFund;
    expect(parts).toEqual({ Market: market, Fund: paidByFund, ADL: Number(newest.adl.filledQuantity), Socialised: Number(newest.unfilledQuantity) });
    expect(market + paidByFund + Number(newest.adl.filledQuantity) + Number(newest.unfilledQuantity)).toBe(2);

    const alert = await api<{ adlActive: boolean; balance: string; peakBalance: string }>("GET", `/v1/markets/${MARKET}/adl-alert`);
    expect(await page.locator("#alert-state").textContent()).toBe(alert.adlActive ? "ADL active" : "ADL off");
    const alertText = await page.locator("#alert").textContent();
    expect(alertText).toContain(alert.balance);
    expect(alertText).toContain(alert.peakBalance);

    // Ledger: the table is the API's first page; a kind filter shows only that kind.
    const ledger = await api<{ entries: { sequence: number; kind: string; amount: string }[] }>("GET", `/v1/markets/${MARKET}/insurance-fund/ledger?limit=50`);
    expect(await page.locator("#ledger tbody td:nth-child(1)").allTextContents()).toEqual(ledger.entries.map((e) => String(e.sequence)));
    await page.locator("#ledger-kind").selectOption("withdrawal");
    await page.locator("#ledger-filters button[type=submit]").click();
    const withdrawals = ledger.entries.filter((e) => e.kind === "withdrawal");
    await expect.poll(() => page.locator("#ledger tbody td:nth-child(3)").allTextContents(), { timeout: 15_000 }).toEqual(withdrawals.map(() => "withdrawal"));
    expect(await page.locator("#ledger tbody td:nth-child(4)").allTextContents()).toEqual(withdrawals.map((e) => e.amount));
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#ledger-csv").click()]);
    const csv = await (await download.createReadStream()).toArray();
    const expectedCsv = await (await fetch(`${server.url}/v1/markets/${MARKET}/insurance-fund/ledger?kind=withdrawal`, { headers: { ...authHeaders(), accept: "text/csv" } })).text();
    expect(Buffer.concat(csv).toString("utf8")).toBe(expectedCsv);
    expect(download.suggestedFilename()).toBe(`${MARKET}-ledger.csv`);
    await page.locator("#ledger-kind").selectOption("");
    await page.locator("#ledger-filters button[type=submit]").click();
    await expect.poll(() => page.locator("#ledger tbody tr").count(), { timeout: 15_000 }).toBe(ledger.entries.length);

    await page.mouse.wheel(0, -100_000);
    await screenshot(page, "dashboard-fund");
    expect(await unreachableByKeyboard(page)).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(page.url()).toBe(`${server.url}/dashboard`);
    assertClean(w);
    await page.close();
  });


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

/**
 * The stress view on a server of its own, so its run shares the isolate with nothing else. (The workerd bundled with
 * wrangler 4.86 aborted during simulations now and then, "V8 fatal error ... Missing deoptimization information for
 * OptimizedJSFrame::Summarize"; the package.json workerd pin fixes it, README "Known problems".)
 */
describe("/dashboard stress view", () => {
  let stressServer: LocalServer;
  beforeAll(async () => {
    stressServer = await startServer();
  }, 120_000);
  afterAll(async () => stressServer?.stop());

  it("stress: a run started from the page shows its progress, then a fan of the fund over paths and one path, equal to GET /v1/simulations/{id}", async () => {
    const w = await openDashboard(stressServer);
    const { page } = w;
    await view(page, "stress");
    await page.locator("#stress-form button[type=submit]").click();
    await expect.poll(() => page.locator("#stress-message").textContent(), { timeout: 120_000 }).toMatch(/succeeded/);
    const id = await page.locator("#stress-run").textContent();
    expect(id).toMatch(/^sim_/);
    type Step = { mark: string; fundBalance: string; adlQuantity: string; liquidations: number };
    const run = await api<{ progress: { done: number; total: number }; result: { steps: number; policies: { policy: string; paths: { path: number; steps: Step[] }[] }[] } }>("GET", `/v1/simulations/${id}`, undefined, DEV_KEY, stressServer);
    expect(await page.locator("#stress-progress").evaluate((el) => [(el as unknown as { value: number }).value, (el as unknown as { max: number }).max])).toEqual([run.progress.done, run.progress.total]);
    expect(run.progress.done).toBe(run.progress.total);

    // The fan: per step the nearest-rank 5/25/50/75/95th percentile of the fund across paths, of the first policy.
    const first = run.result.policies[0]!;
    const nearest = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
    const band = (q: number) => Array.from({ length: run.result.steps }, (_, t) => nearest(first.paths.map((p) => Number(p.steps[t]!.fundBalance)).sort((a, b) => a - b), q));
    const fan = await chartData(page, "stress-fan");
    expect(fan.map((d) => d.count)).toEqual([0.05, 0.25, 0.5, 0.75, 0.95].map(() => run.result.steps));
    expect(fan.map((d) => d.values)).toEqual([0.05, 0.25, 0.5, 0.75, 0.95].map(band));

    // One path drilled down, under the second policy.
    const second = run.result.policies[1]!;
    await page.locator("#stress-policy").selectOption(second.policy);
    await page.locator("#stress-path").fill("7");
    await page.locator("#stress-path-form button[type=submit]").click();
    const path = second.paths.find((p) => p.path === 7)!;
    await expect.poll(async () => (await chartData(page, "stress-path"))[0]?.count ?? 0, { timeout: 15_000 }).toBe(run.result.steps);
    const drilled = Object.fromEntries((await chartData(page, "stress-path")).map((d) => [d.label, d.values]));
    expect(drilled).toEqual({
      mark: path.steps.map((s) => Number(s.mark)),
      "fund balance": path.steps.map((s) => Number(s.fundBalance)),
      "ADL quantity": path.steps.map((s) => Number(s.adlQuantity)),
      liquidations: path.steps.map((s) => s.liquidations),
    });
    const summaryRows = await page.locator("#stress-summary tbody tr td:first-child").allTextContents();
    expect(summaryRows).toEqual(run.result.policies.map((p) => p.policy));

    await page.mouse.wheel(0, -100_000);
    const top = (await page.locator("#stress-summary").boundingBox())?.y ?? 0;
    await page.mouse.wheel(0, top - 8);
    await screenshot(page, "dashboard-stress");
    expect(await unreachableByKeyboard(page)).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    assertClean(w);
    await page.close();
  }, 300_000);
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
