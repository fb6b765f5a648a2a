/**
 * Starts the real local server exactly as the README does (`npm start` -> scripts/start.mjs -> wrangler dev) on a free
 * loopback port with its own temporary storage, and stops its whole process group afterwards.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * The public development keys of .dev.vars.example (scripts/start.mjs installs that file as .dev.vars when there is
 * none): tenant "dev" with every scope, tenant "dev-b" with every scope, and tenant "dev" read-only.
 */
export const DEV_KEYS = {
  dev: "adl_dev_local_only_not_a_secret_tenant_dev",
  devB: "adl_dev_local_only_not_a_secret_tenant_dev_b",
  readOnly: "adl_dev_local_only_not_a_secret_dev_readonly",
} as const;
export const DEV_KEY = DEV_KEYS.dev;

/** `Authorization: Bearer <key>` (the development key of tenant "dev" by default). */
export function authHeaders(key: string = DEV_KEY): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}

export interface LocalServer {
  url: string;
  port: number;
  persistDir: string;
  /** SIGTERM the process group and wait for it (graceful). */
  stop(): Promise<void>;
  /** SIGKILL the whole process group at once (crash test). */
  kill(): Promise<void>;
  output(): string;
}

const ROOT = resolve(import.meta.dirname, "../..");

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export async function startServer(opts: { persistDir?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<LocalServer> {
  const port = await freePort();
  const persistDir = opts.persistDir ?? mkdtempSync(join(tmpdir(), "adl-e2e-"));
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), PERSIST_DIR: persistDir, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += String(d)));
  child.stderr?.on("data", (d) => (out += String(d)));
  const exited = new Promise<void>((ok) => child.once("exit", () => ok()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      killGroup(child, "SIGKILL");
      throw new Error(`server did not become ready in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  const ownsDir = !opts.persistDir;
  return {
    url,
    port,
    persistDir,
    output: () => out,
    async stop() {
      killGroup(child, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      killGroup(child, "SIGKILL");
      if (ownsDir) rmSync(persistDir, { recursive: true, force: true });
    },
    async kill() {
      killGroup(child, "SIGKILL");
      await exited;
      await new Promise((r) => setTimeout(r, 200));
    },
  };
}

/** start.mjs leads its own group (detached) and wrangler/workerd stay in it: one signal reaches all of them. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {}
}
