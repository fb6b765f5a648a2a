// The /docs page in a real headless browser (Debian chromium driven by playwright-core): it loads, lists every
// operation of the spec the server publishes, and logs no console or page errors. The screenshot goes to
// artifacts/docs.png (gitignored) for a human to look at.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, type LocalServer } from "./server";
import { loadSpecOperations, type SpecDocument, type SpecOperation } from "./sdk-operations";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = join(ROOT, "artifacts");

let server: LocalServer;
let context: BrowserContext;
let page: Page;
let profileDir: string;
const problems: string[] = [];

beforeAll(async () => {
  // CI and new machines start without a browser: install Debian's chromium once (a no-op when present).
  execFileSync("bash", [join(ROOT, "scripts/ensure-chromium.sh")], { stdio: "inherit", env: { ...process.env, CHROMIUM_PATH: CHROMIUM } });
  server = await startServer();
  profileDir = mkdtempSync(join(tmpdir(), "adl-docs-chromium-"));
  // Flags per the machine notes: without the background-networking ones, Chromium keeps dialling Google's hosts,
  // which this machine's closed network refuses.
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console.error: ${msg.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ""}`));
}, 600_000);

afterAll(async () => {
  await context?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  await server?.stop();
});

it("loads /docs, lists every operation in the published spec, with no console errors; saves a screenshot", async () => {
  const published = (await (await fetch(`${server.url}/openapi.json`)).json()) as SpecDocument;
  const expected: SpecOperation[] = loadSpecOperations(published);
  // The page under test renders what the server publishes; that must also be the committed contract.
  expect(expected.map((o) => o.key)).toEqual(loadSpecOperations().map((o) => o.key));

  const response = await page.goto(`${server.url}/docs`, { waitUntil: "networkidle" });
  expect(response?.status()).toBe(200);
  await page.waitForFunction('!document.getElementById("ops").textContent.startsWith("Loading")', undefined, { timeout: 15_000 });

  expect(await page.locator("header h1").textContent()).toBe("ADL service API reference");
  expect(await page.locator("#info").textContent()).toContain(published.info.title);
  const rendered = await page.$$eval("section.op", (sections) =>
    sections.map((s) => ({
      id: s.getAttribute("data-operation-id") ?? "",
      heading: s.querySelector("h2")?.textContent ?? "",
      text: s.textContent ?? "",
    })),
  );
  expect(rendered.map((r) => r.id)).toEqual(expected.map((o) => o.operationId));
  for (const [i, op] of expected.entries()) {
    const section = rendered[i];
    expect(section?.heading).toBe(`${op.method} ${op.path}`);
    // Each parameter and each documented response status is shown with its operation.
    for (const param of op.parameters) expect(section?.text, `${op.key} lists ${param}`).toContain(param);
    for (const status of op.statuses) expect(section?.text, `${op.key} lists ${status}`).toContain(status);
  }
  expect(await page.locator("#toc li").count()).toBe(expected.length);

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "docs.png"), fullPage: true });
  expect(problems).toEqual([]);
});

it("shows each operation's documented example and its Try it sends it with the key typed into the page", async () => {
  await page.goto(`${server.url}/docs`, { waitUntil: "networkidle" });
  await page.waitForFunction('!document.getElementById("ops").textContent.startsWith("Loading")', undefined, { timeout: 15_000 });
  // Every request-body box holds the operation's example, not an empty object.
  const bodies = await page.$$eval("textarea", (areas) => areas.map((a) => (a as unknown as { value: string }).value));
  expect(bodies.length).toBeGreaterThan(0);
  for (const body of bodies) expect(JSON.parse(body)).not.toEqual({});
  await page.fill("#key", "adl_dev_local_only_not_a_secret_tenant_dev");
  const section = page.locator('section.op[data-operation-id="rankPositions"]');
  await section.locator("button").click();
  await expect.poll(async () => (await section.locator("pre").textContent()) ?? "", { timeout: 10_000 }).toMatch(/^200\n/);
  const answer = JSON.parse(((await section.locator("pre").textContent()) ?? "").slice(4)) as { long: unknown[]; short: unknown[] };
  expect(answer.long.length + answer.short.length).toBeGreaterThan(0);
  expect(problems).toEqual([]);
});
