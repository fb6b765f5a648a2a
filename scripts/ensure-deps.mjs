// Installs the locked dependencies when a fresh clone has none (or the lockfile changed since the last install),
// so `npm start` and `npm test` are each one command on a clean machine. Uses only Node built-ins.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const stale = !existsSync(marker) || statSync("package-lock.json").mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  console.error("[ensure-deps] installing locked dependencies (npm ci)...");
  execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
}
