// Builds the SDK (src/ -> dist/ with tsc), run by `npm run build` and by `npm pack` (prepack). Inside this repository
// the SDK has no install of its own: it compiles with the repository's locked TypeScript and openapi-fetch, so on a
// fresh clone this first installs the root's locked dependencies (scripts/ensure-deps.mjs, as `npm start` and
// `npm test` do). Outside the repository (a copied package with its own node_modules) it uses whatever resolves.
// Child output goes to stderr so `npm pack --json` keeps a clean stdout. Node built-ins only.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const sdkDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(sdkDir, "..");
const toStderr = { stdio: ["ignore", 2, 2] };

function insideRepository() {
  try {
    const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
    return pkg.name === "adl-service" && existsSync(join(repo, "scripts/ensure-deps.mjs"));
  } catch {
    return false;
  }
}

function findTsc() {
  try {
    return createRequire(join(sdkDir, "package.json")).resolve("typescript/bin/tsc");
  } catch {
    return null;
  }
}

if (insideRepository()) execFileSync(process.execPath, ["scripts/ensure-deps.mjs"], { cwd: repo, ...toStderr });
const tsc = findTsc();
if (!tsc) {
  console.error("sdk build: typescript is not installed; run `npm install` in the SDK package (or `npm ci` at the repository root)");
  process.exit(1);
}
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: sdkDir, ...toStderr });
