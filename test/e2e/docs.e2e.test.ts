// /docs in headless Chromium against the real local server: Scalar's API reference (a static asset built from
// node_modules) renders every operation the server publishes, with its parameters, request fields, documented
// statuses, a response example and a code sample; "Try it" substitutes path parameters and sends the local dev key
// only when the page comes from loopback; the page makes no request to another origin, logs no error, and axe-core
// finds no serious or critical violation. (This replaces the test of the hand-written page; same intent: every
// operation listed with its parameters and statuses, examples shown, Try it answers 200 with the key.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openPage, screenshot, seriousAxeViolations, unreachableByKeyboard, type Browser } from "./browser";
import { DEV_KEY, authHeaders, startServer, type LocalServer } from "./server";
import { loadSpecOperations, type SpecDocument, type SpecOperation } from "./sdk-operations";

/** Scalar renders each operation lazily as it scrolls into view: ~35 s for the whole spec on a quiet machine. */
const DOCS_TIMEOUT_MS = 240_000;
let server: LocalServer;
let browser: Browser;
let spec: FullSpec;

type Schema = { $ref?: string; properties?: Record<string, unknown>; allOf?: Schema[] };
type FullSpec = SpecDocument & {
  components?: { schemas?: Record<string, Schema> };
  paths: Record<string, Record<string, { summary?: string; requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>;
};

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  spec = (await (await fetch(`${server.url}/openapi.json`)).json()) as FullSpec;
  // A market for "Try it" to read (tenant dev, the key the page prefills).
  const put = await fetch(`${server.url}/v1/markets/BTC-USDT-PERP`, {
    method: "PUT",
    headers: { ...authHeaders(), "content-type": "application/json", "idempotency-key": "docs-e2e-market" },
    body: JSON.stringify({ contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT", fundFloor: "1000" }),
  });
  expect(put.status).toBe(200);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Top-level property names of a schema (following one $ref). */
function propertyNames(schema: Schema | undefined): string[] {
  if (!schema) return [];
  const named = schema.$ref ? spec.components?.schemas?.[schema.$ref.split("/").pop() ?? ""] : schema;
  return Object.keys(named?.properties ?? {});
}

/** The rendered section of one operation; Scalar renders operations lazily, so scroll it into view first. */
async function operationSection(page: import("playwright-core").Page, op: SpecOperation) {
  const selector = `section[id$="/${op.method.toUpperCase()}${op.path}"]`;
  await page.locator(`[id$="/${op.method.toUpperCase()}${op.path}"]`).first().scrollIntoViewIfNeeded();
  await page.locator(selector).first().waitFor({ timeout: 30_000 });
  return page.locator(selector).first();
}

const ready = async (page: import("playwright-core").Page) => {
  await page.locator('section[id^="api-1/tag/"]').first().waitFor({ timeout: 60_000 });
};

describe("/docs (Scalar API reference)", () => {
  it("renders every operation with parameters, request fields, statuses, a response example and a curl sample; no errors, nothing off-origin, axe clean", async () => {
    const expected = loadSpecOperations(spec);
    // The page renders what the server publishes; that must also be the committed contract.
    expect(expected.map((o) => o.key)).toEqual(loadSpecOperations().map((o) => o.key));
    const { page, problems, foreignRequests } = await openPage(browser, server.url);
    const response = await page.goto(`${server.url}/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("connect-src 'self'");
    await ready(page);
    await screenshot(page, "docs");

    for (const op of expected) {
      const section = await operationSection(page, op);
      const text = await section.innerText();
      const operation = spec.paths[op.path]?.[op.method];
      expect(text, op.key).toContain(operation?.summary ?? "");
      for (const param of op.parameters) expect(text, `${op.key} shows parameter ${param}`).toContain(param.split(":")[1]);
      for (const status of op.statuses) expect(text, `${op.key} shows status ${status}`).toContain(status);
      for (const field of propertyNames(operation?.requestBody?.content?.["application/json"]?.schema)) {
        expect(text, `${op.key} shows request field ${field}`).toContain(field);
      }
      // The success response's example (Scalar prints the documented example, or one built from the schema).
      const success = op.statuses.find((s) => s.startsWith("2")) ?? "";
      const responseFields = propertyNames(operation?.responses?.[success]?.content?.["application/json"]?.schema);
      expect(responseFields.length, `${op.key} documents its ${success} body`).toBeGreaterThan(0);
      for (const field of responseFields) expect(text, `${op.key} shows response field ${field}`).toContain(`"${field}"`);
      // A code sample for this server, with the path's example values filled in (no literal {marketId}).
      // Scalar fills each path parameter with its documented example; one without an example stays a {name}.
      const params = (operation?.parameters ?? []) as { in: string; name: string; example?: unknown; schema?: { example?: unknown } }[];
      const samplePath = op.path.replace(/\{([^}]+)\}/g, (whole: string, name: string) => {
        const p = params.find((q) => q.in === "path" && q.name === name);
        const example = p?.example ?? p?.schema?.example;
        return example === undefined ? whole : String(example);
      });
      expect(text, `${op.key} curl sample`).toContain("curl");
      expect(text, `${op.key} curl sample`).toContain(`${server.url}${samplePath}`);
      expect(text, `${op.key} Try it`).toContain("Test Request");
    }

    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await page.close();
  }, DOCS_TIMEOUT_MS);

  it('"Try it" fills the path parameter, sends the prefilled local key, and shows the answer pretty-printed; reachable by keyboard', async () => {
    const { page, problems, foreignRequests } = await openPage(browser, server.url);
    await page.goto(`${server.url}/docs`);
    await ready(page);
    // On loopback the bearer box holds the public dev key, and the samples carry it.
    expect(await page.locator(".scalar-reference-intro-auth input").first().inputValue()).toBe(DEV_KEY);
    // The controls of the first screen (search, server, auth, client libraries, sidebar) take focus by Tab.
    // 2,000 presses: the sidebar lists every operation (about 30 with the stress lab and webhooks).
    expect(await unreachableByKeyboard(page, "body", 2000)).toEqual([]);

    const op = loadSpecOperations(spec).find((o) => o.operationId === "getMarket");
    if (!op) throw new Error("getMarket is not in the spec");
    const section = await operationSection(page, op);
    const testRequest = section.getByRole("button", { name: /Test Request/ });
    await testRequest.focus();
    await page.keyboard.press("Enter");
    const send = page.getByRole("button", { name: /^Send/ }).first();
    await send.waitFor({ timeout: 30_000 });
    const sent = page.waitForRequest((r) => r.url() === `${server.url}/v1/markets/BTC-USDT-PERP` && r.method() === "GET", { timeout: 30_000 });
    const answered = page.waitForResponse((r) => r.url() === `${server.url}/v1/markets/BTC-USDT-PERP`, { timeout: 30_000 });
    await send.focus();
    await page.keyboard.press("Enter");
    const request = await sent;
    expect(request.headers().authorization).toBe(`Bearer ${DEV_KEY}`);
    expect((await answered).status()).toBe(200);
    // The body is shown as indented JSON, one member per line.
    await expect.poll(async () => page.locator(".scalar-client").getByText('"marketId": "BTC-USDT-PERP"').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(async () => page.getByText("200 OK").count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshot(page, "docs-try-it");
    // Known gap, left to Scalar: its API client overlay (CodeMirror cells, headless-ui popovers) has ARIA defects
    // (aria-required-attr, aria-input-field-name, aria-prohibited-attr); the reference around it is checked.
    expect(await seriousAxeViolations(page, [".scalar-app-layout"])).toEqual([]);
    expect(problems).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await page.close();
  }, DOCS_TIMEOUT_MS);
});

describe("/docs served under a non-loopback name", () => {
  let remote: Browser;
  beforeAll(async () => {
    remote = await launchBrowser({ hostRules: "MAP adl-docs.test 127.0.0.1" });
  }, 120_000);
  afterAll(async () => remote?.close());

  it("prefills no key and targets that name, not 127.0.0.1:8787", async () => {
    const origin = `http://adl-docs.test:${server.port}`;
    const { page, problems, foreignRequests } = await openPage(remote, origin);
    await page.goto(`${origin}/docs`);
    await ready(page);
    expect(await page.locator(".scalar-reference-intro-auth input").first().inputValue()).toBe("");
    const text = await page.locator("body").innerText();
    expect(text).toContain(origin);
    expect(text).not.toContain(DEV_KEY);
    expect(text).not.toContain("127.0.0.1:8787");
    expect(problems).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await page.close();
  });
});
