// Each bot-style script in examples/ runs to completion against the real local server, and the integrator's path
// works outside this repo: the SDK packed with `npm pack`, installed into an empty project, an example copied there
// type-checks against the packaged types and runs with only the package.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, type LocalServer } from "./server";

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
async function runExample(file: string, opts: { cwd?: string; tsconfig?: string } = {}) {
  const args = opts.tsconfig ? ["--tsconfig", opts.tsconfig, file] : [file];
  const { stdout, stderr } = await run(join(BIN, "tsx"), args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ADL_BASE_URL: server.url },
    timeout: 60_000,
  });
  return { stdout, stderr };
}

/** What each example must print; every file in examples/ needs an entry. */
const EXPECTED: Record<string, (stdout: string) => void> = {
  "rank-batch.ts": (out) => {
    expect(out).toContain("ADL queue (long), rank 1 is closed first:");
    expect(out).toContain("ADL queue (short), rank 1 is closed first:");
    for (const account of ["alice", "bob", "dave", "carol", "erin"]) expect(out).toMatch(new RegExp(`#\\d ${account} .* indicator \\d`));
  },
};

const examples = readdirSync(join(ROOT, "examples")).filter((f) => f.endsWith(".ts"));

it("every example in examples/ is executed by this file", () => {
  expect(examples.sort()).toEqual(Object.keys(EXPECTED).sort());
});

for (const file of examples) {
  it(`examples/${file} runs against the local server`, async () => {
    const { stdout } = await runExample(join("examples", file), { tsconfig: "tsconfig.node.json" });
    EXPECTED[file]?.(stdout);
  });
}

it("integrator path: npm pack the SDK, install it into an empty project, copy an example, type-check and run it", async () => {
  // Pack from a copy so the build output stays out of the work tree; tsc and openapi-fetch for the build come from
  // this repo's node_modules (npm pack leaves node_modules out of the tarball).
  const pkgSrc = tempDir("adl-sdk-src-");
  for (const entry of ["package.json", "tsconfig.build.json", "README.md", "src"]) cpSync(join(ROOT, "sdk", entry), join(pkgSrc, entry), { recursive: true });
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
  const { stdout } = await runExample("bot.ts", { cwd: project });
  EXPECTED["rank-batch.ts"]?.(stdout);
}, 240_000);
