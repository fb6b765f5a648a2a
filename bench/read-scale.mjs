// The read APIs at scale in workerd: a tenant with 10,000 markets listed page by page; a ledger of 1,000,000 entries
// paged, filtered by kind and by time, and exported as CSV read as a stream (bench/workerd/read-scale.bench-test.ts,
// run through vitest.bench.config.ts: the real Worker and Durable Objects, their SQLite storage as workerd keeps it
// locally, requests through the Worker's fetch handler).
//
// Memory is measured from outside: this script samples /proc/<pid>/status of every workerd process under the vitest
// run every SAMPLE_MS and, for each phase the test reports (its wall-clock start and end), prints the resident set
// (VmRSS) at the phase's start, its highest sample during the phase and the difference, with the anonymous part
// (RssAnon: JS heaps, SQLite's page cache, buffers; not the file-backed pages of the binary). A read path that held
// the ledger whole would grow by hundreds of MB over a phase (1,000,000 entries are ~200 MB as CSV text).
//
//   node bench/read-scale.mjs                 (READSCALE_MARKETS / READSCALE_ENTRIES shrink it for a quick try)
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SAMPLE_MS = 25;

function status(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
    return { name: /^Name:\s+(\S+)/m.exec(text)?.[1], ppid: Number(/^PPid:\s+(\d+)/m.exec(text)?.[1]), rss: kb("VmRSS"), anon: kb("RssAnon"), hwm: kb("VmHWM") };
  } catch {
    return null;
  }
}

/** workerd processes descending from `root` (the pool starts workerd under vitest, possibly through a shell). */
function workerdUnder(root) {
  const parent = new Map();
  const name = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const s = status(d);
    if (s) parent.set(Number(d), s.ppid), name.set(Number(d), s.name);
  }
  const found = [];
  for (const [pid, n] of name) {
    if (n !== "workerd") continue;
    for (let p = parent.get(pid); p; p = parent.get(p)) if (p === root) { found.push(pid); break; }
  }
  return found;
}

const mib = (kb) => (kb / 1024).toFixed(0);
console.log(`machine: ${os.cpus()[0]?.model} x${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);

const child = spawn(join(ROOT, "node_modules/.bin/vitest"), ["run", "--config", "vitest.bench.config.ts"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
const samples = []; // { t, pid, rss, anon, hwm }
let pids = [];
let lastScan = 0;
const sampler = setInterval(() => {
  const now = Date.now();
  if (now - lastScan > 1000) (pids = workerdUnder(child.pid)), (lastScan = now);
  for (const pid of pids) {
    const s = status(pid);
    // An exiting (zombie) process has no memory lines: skip it.
    if (s && Number.isFinite(s.rss)) samples.push({ t: now, pid, rss: s.rss, anon: s.anon, hwm: s.hwm });
  }
}, SAMPLE_MS);

const phases = [];
let out = "";
child.stdout.on("data", (b) => {
  process.stdout.write(b);
  out += b;
  let nl;
  while ((nl = out.indexOf("\n")) >= 0) {
    const line = out.slice(0, nl);
    out = out.slice(nl + 1);
    const m = /READSCALE (\{.*\})/.exec(line);
    if (m) phases.push(JSON.parse(m[1]));
  }
});
const code = await new Promise((r) => child.on("close", r));
clearInterval(sampler);
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
if (code !== 0 || phases.length === 0) {
  console.error(`the workerd run failed (exit ${code}); no figures`);
  process.exit(1);
}

// The workerd process that held the data: the one with the largest resident set (the pool may start a helper too).
const byPid = new Map();
for (const s of samples) byPid.set(s.pid, Math.max(byPid.get(s.pid) ?? 0, s.rss));
const main = [...byPid].sort((a, b) => b[1] - a[1])[0]?.[0];
const mine = samples.filter((s) => s.pid === main);
console.log(`\nworkerd pid ${main}: ${mine.length} samples every ${SAMPLE_MS} ms; VmHWM at the end ${mib(mine.at(-1)?.hwm ?? NaN)} MiB`);
console.log("phase           rows       time      pages  p50/p99 ms/page  first/last tenth  RSS start -> peak (delta)       RssAnon start -> peak (delta)");
for (const p of phases) {
  const before = mine.filter((s) => s.t <= p.start).at(-1) ?? mine[0];
  const during = mine.filter((s) => s.t >= p.start && s.t <= p.end);
  const peak = (k) => Math.max(before[k], ...during.map((s) => s[k]));
  const rows = p.rows ?? p.entries ?? p.markets;
  const seconds = (p.end - p.start) / 1000;
  const paging = p.pages ? `${String(p.pages).padStart(5)}  ${`${p.p50}/${p.p99}`.padStart(15)}  ${`${p.firstTenthMean.toFixed(0)}/${p.lastTenthMean.toFixed(0)} ms`.padStart(16)}` : "".padEnd(40);
  const rss = `${mib(before.rss)} -> ${mib(peak("rss"))} MiB (${peak("rss") - before.rss >= 0 ? "+" : ""}${mib(peak("rss") - before.rss)})`;
  const anon = `${mib(before.anon)} -> ${mib(peak("anon"))} MiB (${peak("anon") - before.anon >= 0 ? "+" : ""}${mib(peak("anon") - before.anon)})`;
  console.log(`${p.phase.padEnd(14)} ${String(rows).padStart(9)} ${seconds.toFixed(1).padStart(8)} s  ${paging}  ${rss.padEnd(30)}  ${anon}`);
  if (p.phase === "csv-export") console.log(`  csv: ${(p.bytes / 2 ** 20).toFixed(1)} MiB in ${p.chunks} chunks (largest ${(p.largestChunk / 1024).toFixed(0)} KiB), first byte after ${p.firstByteMs} ms, ${(p.bytes / 2 ** 20 / seconds).toFixed(1)} MiB/s`);
  if (p.filter) console.log(`  filter: ${p.filter}`);
}
