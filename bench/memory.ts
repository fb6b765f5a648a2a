/**
 * Memory of one 100,000-position ranking request. A Worker isolate has 128 MB; V8's heap cap is the closest Node
 * analogue, so this runs the request in fresh processes with --max-old-space-size caps and bisects the smallest cap
 * that completes it (the body string and the response buffer are included: they are built inside the process).
 * Also prints the process's peak RSS (includes Node itself, ~40-50 MB here).
 */
import { spawnSync } from "node:child_process";

const N = Number(process.env.BENCH_N ?? 100_000);
function run(capMb: number | null): { ok: boolean; out: string } {
  const flags = capMb ? [`--max-old-space-size=${capMb}`] : [];
  const r = spawnSync(process.execPath, [...flags, "--import", "tsx", "bench/memory-child.ts", String(N)], { encoding: "utf8" });
  return { ok: r.status === 0, out: (r.stdout ?? "").trim().split("\n").pop() ?? "" };
}

const free = run(null);
console.log(`memory n=${N}: uncapped run ${free.out}`);
const at128 = run(128);
console.log(`  with --max-old-space-size=128: ${at128.ok ? "completes" : "FAILS"} ${at128.out}`);
let lo = 8;
let hi = 256;
while (hi - lo > 4) {
  const mid = Math.floor((lo + hi) / 2);
  if (run(mid).ok) hi = mid;
  else lo = mid;
}
console.log(`  smallest old-space cap that completes it: ${hi} MB (bisected to 4 MB)`);
