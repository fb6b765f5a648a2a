// `npm start`: serve the Worker on 127.0.0.1 with persisted local Durable Object storage (workerd via wrangler dev).
// Options (env): PORT (default 8787), PERSIST_DIR (default .wrangler/state), CORS_ALLOWED_ORIGINS (default
// http://localhost:*,http://127.0.0.1:*), INSPECTOR_PORT (workerd's devtools port, default wrangler's 9229: a second
// server on the machine needs another one, or it exits with "Address already in use (127.0.0.1:9229)"). wrangler and its workerd children stay in
// this process's group, so Ctrl-C in a terminal, or a supervisor that starts this script as a group leader and signals
// the group (as test/e2e/server.ts does), stops all of them; no workerd is left holding the port.
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, renameSync } from "node:fs";
import { resolve } from "node:path";

// API keys for local use: wrangler dev reads secrets from .dev.vars. A fresh clone (and CI) has none, so start with
// the public development keys of .dev.vars.example (written to a temporary name first: concurrent starts are safe).
if (!existsSync(".dev.vars")) {
  const tmp = `.dev.vars.${process.pid}.tmp`;
  copyFileSync(".dev.vars.example", tmp);
  renameSync(tmp, ".dev.vars");
  console.log("Created .dev.vars from .dev.vars.example: local development API keys (public, see README); edit .dev.vars to change them.");
} else if (!/^\s*API_KEYS\s*=/m.test(readFileSync(".dev.vars", "utf8"))) {
  console.log("Warning: .dev.vars has no API_KEYS, so every /v1 request will be 401 (see .dev.vars.example).");
}

const port = process.env.PORT ?? "8787";
const persistDir = resolve(process.env.PERSIST_DIR ?? ".wrangler/state");
const env = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? resolve(".wrangler/config"),
};
// Local pages on any port may call the local API (CORS); a deployment sets its own list (wrangler.toml).
const corsOrigins = process.env.CORS_ALLOWED_ORIGINS ?? "http://localhost:*,http://127.0.0.1:*";
// Local development only (never in wrangler.toml, so a deployed Worker refuses them): webhook endpoints may be
// loopback receivers (http://127.0.0.1:port/...) unless WEBHOOKS_ALLOW_LOOPBACK=false; tests may shorten the retry
// backoff with WEBHOOK_RETRY_SCHEDULE_MS (comma-separated ms, e.g. "300,600").
const vars = [`CORS_ALLOWED_ORIGINS:${corsOrigins}`, `WEBHOOKS_ALLOW_LOOPBACK:${process.env.WEBHOOKS_ALLOW_LOOPBACK === "false" ? "false" : "true"}`];
// Webhook hosts are resolved through DNS over HTTPS in a deployment; locally only when WEBHOOK_DNS_RESOLVER names a
// resolver (a development machine may be offline, and loopback receivers are never resolved).
vars.push(`WEBHOOK_DNS_RESOLVER:${process.env.WEBHOOK_DNS_RESOLVER || "off"}`);
if (process.env.WEBHOOK_RETRY_SCHEDULE_MS) vars.push(`WEBHOOK_RETRY_SCHEDULE_MS:${process.env.WEBHOOK_RETRY_SCHEDULE_MS}`);
const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", port, "--persist-to", persistDir, "--show-interactive-dev-session=false", ...(process.env.INSPECTOR_PORT ? ["--inspector-port", process.env.INSPECTOR_PORT] : []), ...vars.flatMap((v) => ["--var", v])];
const child = spawn("npx", args, { env, stdio: ["ignore", "pipe", "inherit"] });
let announced = false;
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready on/.test(String(chunk))) {
    announced = true;
    console.log(`\nADL service listening on http://127.0.0.1:${port}  (docs: http://127.0.0.1:${port}/docs, storage: ${persistDir})`);
  }
});
// Signalled by PID alone (e.g. `kill <pid>` from a supervisor), forward to the whole tree below us: npx, wrangler
// and workerd. Signalling only npx would leave workerd holding the port.
const descendants = (pid) => {
  let out = "";
  try {
    out = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" });
  } catch {}
  const kids = out.split(/\s+/).filter(Boolean).map(Number);
  return kids.flatMap((k) => [k, ...descendants(k)]);
};
const stop = (signal) => {
  for (const pid of [child.pid, ...descendants(child.pid)].reverse()) {
    try {
      process.kill(pid, signal);
    } catch {}
  }
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
