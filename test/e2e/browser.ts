/**
 * Headless Chromium for the page tests (Debian's chromium driven by playwright-core; Playwright's own browser
 * download does not work here), with the checks every page must pass: no console or page errors, no request to
 * another origin, no serious or critical axe-core violation, and every control reachable with the Tab key.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Test artifacts (gitignored): every screenshot a page test takes. */
export const ARTIFACTS = join(ROOT, "artifacts");
/**
 * When set (by `npm run screenshots`), the tests also write their README screenshots here (docs/screenshots, the
 * committed copies the README shows).
 */
const README_SCREENSHOTS = process.env.README_SCREENSHOTS_DIR ? resolve(ROOT, process.env.README_SCREENSHOTS_DIR) : null;

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** `hostRules`: Chromium host-resolver rules, e.g. to reach the loopback server under a non-loopback name. */
export async function launchBrowser(opts: { hostRules?: string } = {}): Promise<Browser> {
  // CI and new machines start without a browser: install Debian's chromium once (a no-op when present).
  execFileSync("bash", [join(ROOT, "scripts/ensure-chromium.sh")], { stdio: "inherit", env: { ...process.env, CHROMIUM_PATH: CHROMIUM } });
  const profileDir = mkdtempSync(join(tmpdir(), "adl-pages-chromium-"));
  // Without the background-networking flags Chromium keeps dialling Google's hosts, which a closed network refuses
  // (and which would count as requests leaving the page's origin).
  const context = await chromium.launchPersistentContext(profileDir, {
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
      ...(opts.hostRules ? [`--host-resolver-rules=${opts.hostRules}`] : []),
    ],
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

export interface WatchedPage {
  page: Page;
  /** console.error lines, uncaught page errors, failed requests. */
  problems: string[];
  /** Every request whose URL is not on the page's origin (data: and blob: URLs are local and not counted). */
  foreignRequests: string[];
}

export async function openPage(browser: Browser, origin: string): Promise<WatchedPage> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  const foreignRequests: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console.error: ${msg.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // A download the test saves through Playwright is reported as "aborted" navigation; not a failure of the page.
    if (request.failure()?.errorText === "net::ERR_ABORTED" && request.url().startsWith("blob:")) return;
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ""}`);
  });
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith("data:") || url.startsWith("blob:")) return;
    if (new URL(url).origin !== origin) foreignRequests.push(`${request.method()} ${url}`);
  });
  return { page, problems, foreignRequests };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's serious and critical violations on the page as it is now. Injected through the DevTools protocol
 * (page.evaluate), which the page's Content-Security-Policy does not block, so the page is tested with its real CSP.
 */
export async function seriousAxeViolations(page: Page, exclude: string[] = []): Promise<string[]> {
  await page.evaluate(`${AXE_SOURCE}\n;0`);
  return page.evaluate(async (excluded) => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; html?: string; any?: { data?: unknown }[] }[] }[] }> } }).axe;
    const doc = (globalThis as any).document;
    const result = await axe.run(excluded.length ? { include: [doc], exclude: excluded.map((s) => [s]) } : doc, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}${describeNode(n)}`).join(" | ")})`);
    // What a reader needs to mend it: for contrast, the colours and the ratio axe measured; the element's text.
    function describeNode(n: any): string {
      const data = (n.any ?? []).map((c: any) => c.data).find((d: any) => d && d.fgColor);
      const text = String(n.html ?? "").replace(/\s+/g, " ").slice(0, 80);
      return `${data ? ` [fg ${data.fgColor} on ${data.bgColor}: ${data.contrastRatio}]` : ""} ${text}`;
    }
  }, exclude);
}

/**
 * Presses Tab from the top of the page until focus comes back round, and returns the visible, enabled controls
 * (buttons, inputs, selects, textareas, links, summaries, tabindex >= 0) inside `scope` that focus never reached.
 */
export async function unreachableByKeyboard(page: Page, scope = "body", maxPresses = 400): Promise<string[]> {
  // The callbacks run inside Chromium. The Node test config has no DOM lib (it clashes with workers-types), so
  // they reach the page's globals untyped.
  const controls: string[] = await page.evaluate((scopeSelector) => {
    const g = globalThis as any;
    const root = g.document.querySelector(scopeSelector);
    if (!root) throw new Error(`no element matches ${scopeSelector}`);
    const selector = "button, input, select, textarea, a[href], summary, [tabindex]";
    const all = [...root.querySelectorAll(selector)].filter((el: any) => {
      if (el.matches(":disabled") || el.tabIndex < 0 || el.closest("[inert], [hidden]")) return false;
      if (el.tagName === "INPUT" && el.type === "hidden") return false;
      const box = el.getBoundingClientRect();
      const style = g.getComputedStyle(el);
      return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.display !== "none";
    });
    all.forEach((el: any, i: number) => el.setAttribute("data-kb-probe", String(i)));
    return all.map((el: any) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""} "${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 40)}"`);
  }, scope);
  await page.evaluate(() => {
    const g = globalThis as any;
    g.document.activeElement?.blur?.();
    g.scrollTo(0, 0);
  });
  const reached = new Set<string>();
  let first: string | null = null;
  for (let i = 0; i < maxPresses && reached.size < controls.length; i++) {
    await page.keyboard.press("Tab");
    const probe: string | null = await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute("data-kb-probe") ?? null);
    if (probe === null) continue;
    if (probe === first) break;
    first ??= probe;
    reached.add(probe);
  }
  await page.evaluate(() => (globalThis as any).document.querySelectorAll("[data-kb-probe]").forEach((el: any) => el.removeAttribute("data-kb-probe")));
  return controls.filter((_, i) => !reached.has(String(i)));
}

/** Saves artifacts/<name>.png (and docs/screenshots/<name>.png when `npm run screenshots` asks for README copies). */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: opts.fullPage ?? false, timeout: 120_000 });
  if (README_SCREENSHOTS) {
    mkdirSync(README_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(README_SCREENSHOTS, `${name}.png`), fullPage: false, timeout: 120_000 });
  }
}
