// Each bot-style script in examples/ runs to completion against the real local server, and the integrator's path
// works outside this repo: the SDK packed with `npm pack`, installed into an empty project, an example copied there
// type-checks against the packaged types and runs with only the package.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { createAdlClient, unwrap } from "@adl/sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_KEY, startServer, type LocalServer } from "./server";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "node_modules/.bin");

let server: LocalServer;
const scratch: string[] = [];
beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** Runs a TypeScript example the way the README says (tsx), against the test server. */
async function runExample(file: string, opts: { cwd?: string; tsconfig?: string; env?: Record<string, string> } = {}) {
  const args = opts.tsconfig ? ["--tsconfig", opts.tsconfig, file] : [file];
  return run(join(BIN, "tsx"), args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ADL_BASE_URL: server.url, ADL_API_KEY: DEV_KEY, ...opts.env },
    timeout: 60_000,
  });
}
const runRepoExample = (file: string, env?: Record<string, string>) => runExample(join("examples", file), { tsconfig: "tsconfig.node.json", env });

function checkRankBatch(out: string) {
  expect(out).toContain("ADL queue (long), rank 1 is closed first:");
  expect(out).toContain("ADL queue (short), rank 1 is closed first:");
  for (const account of ["alice", "bob", "dave", "carol", "erin"]) expect(out).toMatch(new RegExp(`#\\d ${account} .* indicator \\d`));
}

/** How each example is run and what it must print; every file in examples/ needs an entry. */
const EXAMPLES: Record<string, () => Promise<void>> = {
  "rank-batch.ts": async () => {
    checkRankBatch((await runRepoExample("rank-batch.ts")).stdout);
  },

  "liquidate.ts": async () => {
    const env = { ADL_MARKET_ID: "EX-LIQ" };
    const first = (await runRepoExample("liquidate.ts", env)).stdout;
    // The first answer was lost; the retry with the same key got the stored outcome, booked once.
    const id = /liquidation (liq_\S+): 2 attempt\(s\), answer replayed from the stored outcome/.exec(first)?.[1];
    expect(id, first).toBeTruthy();
    expect(first).toMatch(/conservation: loss /);
    expect(first).toMatch(new RegExp(`ledger entries for ${id}: [1-9]`));
    expect(first).toContain("matches the outcome: true");
    // Running the bot again (same event ids, so same keys) changes nothing.
    const second = (await runRepoExample("liquidate.ts", env)).stdout;
    expect(second).toContain(`liquidation ${id}:`);
    const balance = (out: string) => /fund balance (\S+) USDT/.exec(out)?.[1];
    expect(balance(second)).toBe(balance(first));
  },

  "readme-snippet.ts": async () => {
    // The README's snippet as a first-time user runs it: rankings, a market configured, its fund funded; a rerun
    // (same idempotency keys) replays instead of booking again.
    const first = (await runRepoExample("readme-snippet.ts")).stdout;
    expect(first).toMatch(/^long queue: 1\. (alice|bob) \(indicator \d\), 2\. (alice|bob) \(indicator \d\)$/m);
    expect(first).toContain("deposit 5000 USDT: fund balance 5000");
    const again = (await runRepoExample("readme-snippet.ts")).stdout;
    expect(again).toContain("deposit 5000 USDT: fund balance 5000");
    const fund = await unwrap(createAdlClient({ baseUrl: server.url, apiKey: DEV_KEY }).GET("/v1/markets/{marketId}/insurance-fund", { params: { path: { marketId: "BTC-USDT-PERP" } } }));
    expect(fund).toMatchObject({ balance: "5000", floor: "1000" });
  },

  "audit-fund.ts": async () => {
    // A fund with deposits, a withdrawal and a liquidation's entries, audited two entries per page.
    const adl = createAdlClient({ baseUrl: server.url, apiKey: DEV_KEY });
    const path = { marketId: "EX-AUDIT" };
    const key = (k: string) => ({ "idempotency-key": `audit-${k}` });
    await unwrap(
      adl.PUT("/v1/markets/{marketId}", {
        params: { path, header: key("config") },
        body: { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT", fundFloor: "100" },
      }),
    );
    for (const [i, amount] of ["1000", "0.00000001", "250.5"].entries()) {
      await unwrap(adl.POST("/v1/markets/{marketId}/insurance-fund/deposits", { params: { path, header: key(`dep-${i}`) }, body: { amount } }));
    }
    await unwrap(adl.POST("/v1/markets/{marketId}/insurance-fund/withdrawals", { params: { path, header: key("wd") }, body: { amount: "50.25" } }));
    const liq = await unwrap(
      adl.POST("/v1/markets/{marketId}/liquidations", {
        params: { path, header: key("liq") },
        body: {
          markPrice: "9950",
          liquidated: { accountId: "b-1", side: "long", size: "2", entryPrice: "11000", margin: "2000" },
          executions: [{ quantity: "2", price: "9900" }],
          counterparties: [{ accountId: "s-1", side: "short", size: "3", entryPrice: "11500", margin: "3000" }],
          method: "bitmex",
        },
      }),
    );
    const fund = await unwrap(adl.GET("/v1/markets/{marketId}/insurance-fund", { params: { path } }));
    const entries = 4 + liq.ledgerEntries.length;

    const { stdout } = await runRepoExample("audit-fund.ts", { ADL_MARKET_ID: "EX-AUDIT", ADL_PAGE_SIZE: "2" });
    expect(stdout).toContain(`fund balance ${fund.balance} USDT`);
    expect(stdout).toContain(`ledger: ${entries} entries in ${Math.ceil(entries / 2)} page(s)`);
    expect(stdout).toMatch(/deposit\s+1250\.50000001/);
    expect(stdout).toMatch(/withdrawal\s+-50\.25/);
    expect(stdout).toContain("AUDIT OK");

    // Its error path: a market that was never configured is a 404 problem, reported with the request id.
    const refused = await runRepoExample("audit-fund.ts", { ADL_MARKET_ID: "EX-NOWHERE" }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toMatch(/audit refused: 404 not-found: .* \(request [\w-]+\)/);
  },
};

// The receiver registers itself (local development accepts loopback URLs), asks for a test event, verifies its
// signature with the secret from the creation answer and exits after it.
EXAMPLES["webhook-receiver.ts"] = async () => {
  const { stdout } = await runRepoExample("webhook-receiver.ts", { ADL_EXIT_AFTER: "1" });
  expect(stdout).toMatch(/registered endpoint we_[0-9a-f]{24}/);
  const asked = /asked for test event (evt_[0-9a-f]{32})/.exec(stdout)?.[1];
  expect(asked, stdout).toBeTruthy();
  expect(stdout).toContain(`verified webhook.test ${asked} (attempt 1)`);
};

const examples = readdirSync(join(ROOT, "examples")).filter((f) => f.endsWith(".ts"));

it("every example in examples/ is executed by this file", () => {
  expect(examples.sort()).toEqual(Object.keys(EXAMPLES).sort());
});

for (const [file, check] of Object.entries(EXAMPLES)) {
  it(`examples/${file} runs against the local server`, check);
}

it("integrator path: npm pack the SDK, install it into an empty project, copy an example, type-check and run it", async () => {
  // Pack from a copy so the build output stays out of the work tree; tsc and openapi-fetch for the build come from
  // this repo's node_modules (npm pack leaves node_modules out of the tarball).
  const pkgSrc = tempDir("adl-sdk-src-");
  for (const entry of ["package.json", "tsconfig.build.json", "README.md", "src", "scripts"]) cpSync(join(ROOT, "sdk", entry), join(pkgSrc, entry), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(pkgSrc, "node_modules"), "dir");
  const env = { ...process.env, PATH: `${BIN}:${process.env.PATH}`, npm_config_update_notifier: "false" };
  const packed = await run("npm", ["pack", "--json", "--pack-destination", pkgSrc], { cwd: pkgSrc, env, timeout: 120_000 });
  const tarball = join(pkgSrc, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);

  const project = tempDir("adl-bot-");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "my-adl-bot", private: true, type: "module" }));
  // Dependencies come from npm's cache when this repo's install already fetched them.
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], { cwd: project, env, timeout: 180_000 });
  cpSync(join(ROOT, "examples/rank-batch.ts"), join(project, "bot.ts"));
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        lib: ["ES2022", "DOM"],
        types: ["node"],
        typeRoots: [join(ROOT, "node_modules/@types")],
      },
      include: ["bot.ts"],
    }),
  );
  await run(join(BIN, "tsc"), ["-p", "tsconfig.json"], { cwd: project, timeout: 60_000 });
  checkRankBatch((await runExample("bot.ts", { cwd: project })).stdout);
}, 240_000);
