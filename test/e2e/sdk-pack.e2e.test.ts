// `cd sdk && npm pack` on a fresh clone: a copy of exactly what a clone holds (tracked and new unignored files of this
// tree, so no node_modules, no dist, no .dev.vars), then `npm pack` in its sdk/ with no tools on PATH beyond node and
// npm. It used to fail with `tsc: not found`; the tarball must hold the built JavaScript and types.
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** What `git clone` of this tree would check out: tracked files plus new files not ignored (deleted ones skipped). */
function cloneLikeCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "adl-clone-"));
  scratch.push(dir);
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  for (const file of listed.split("\0").filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  return dir;
}

/** The environment of a fresh shell: no npm_* variables of the outer `npm test`, no node_modules/.bin on PATH. */
function freshEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith("npm_")) env[k] = v;
  env.PATH = (process.env.PATH ?? "").split(delimiter).filter((p) => !p.includes("node_modules")).join(delimiter);
  env.npm_config_update_notifier = "false";
  return env;
}

it("valid: cd sdk && npm pack works on a fresh clone and the tarball holds dist/*.js and *.d.ts", async () => {
  const clone = cloneLikeCopy();
  expect(existsSync(join(clone, "node_modules"))).toBe(false);
  expect(existsSync(join(clone, "sdk/dist"))).toBe(false);
  const env = freshEnv();
  await expect(run("sh", ["-c", "command -v tsc"], { env })).rejects.toBeTruthy(); // tsc is not on PATH
  const packed = await run("npm", ["pack", "--json", "--prefer-offline"], { cwd: join(clone, "sdk"), env, timeout: 900_000, maxBuffer: 64 << 20 });
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  const files = info!.files.map((f) => f.path);
  expect(files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/client.js", "dist/client.d.ts", "dist/generated/schema.d.ts", "package.json", "README.md"]));
  expect(files.some((f) => f.startsWith("scripts/"))).toBe(false);
  const listing = execFileSync("tar", ["-tzf", join(clone, "sdk", info!.filename)], { encoding: "utf8" });
  expect(listing).toContain("package/dist/index.js");
}, 900_000);
