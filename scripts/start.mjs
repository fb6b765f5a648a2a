// `npm start`: serve the Worker on 127.0.0.1 with persisted local Durable Object storage (workerd via wrangler dev).
// Options (env): PORT (default 8787), PERSIST_DIR (default .wrangler/state). wrangler and its workerd children stay in
// this process's group, so Ctrl-C in a terminal, or a supervisor that starts this script as a group leader and signals
// the group (as test/e2e/server.ts does), stops all of them; no workerd is left holding the port.
import { spawn } from "node:child_process";
import { resolve } from "node:path";

const port = process.env.PORT ?? "8787";
const persistDir = resolve(process.env.PERSIST_DIR ?? ".wrangler/state");
const env = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? resolve(".wrangler/config"),
};
const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", port, "--persist-to", persistDir, "--show-interactive-dev-session=false"];
const child = spawn("npx", args, { env, stdio: ["ignore", "pipe", "inherit"] });
let announced = false;
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready on/.test(String(chunk))) {
    announced = true;
    console.log(`\nADL service listening on http://127.0.0.1:${port}  (docs: http://127.0.0.1:${port}/docs, storage: ${persistDir})`);
  }
});
const stop = (signal) => {
  try {
    child.kill(signal);
  } catch {}
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
