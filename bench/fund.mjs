// Insurance-fund throughput on the real local server (npm start -> wrangler dev -> workerd), one market, N concurrent
// clients with plain fetch: sustained req/s of the deposit route and of the liquidation route (100 counterparties,
// surplus + loss fills + ADL), the ratio between them, errors, latency, and a lost-update check (final balance must
// equal the sum of what was acknowledged).
//
// The two routes are measured in alternating rounds (deposit, liquidation, deposit, ...) and the median round of each
// is reported, so a burst of other load on the machine does not land on one route only.
//
//   node --import tsx bench/fund.mjs [--seconds 5] [--rounds 3] [--clients 50] [--counterparties 100]
import os from "node:os";
import { startServer } from "../test/e2e/server.ts";

// The public local dev key (.dev.vars.example), which npm start installs; its "bulk" tier lets the load through.
const AUTH = { authorization: "Bearer adl_dev_local_only_not_a_secret_tenant_dev" };

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg("seconds", 5);
const ROUNDS = arg("rounds", 3);
const CLIENTS = arg("clients", 50);
const COUNTERPARTIES = arg("counterparties", 100);
const WARMUP_MS = 2000;

const market = "BTC-USDT-BENCH";
const shorts = Array.from({ length: COUNTERPARTIES }, (_, i) => ({
  accountId: `short-${i}`,
  side: "short",
  size: String(1 + (i % 5)),
  entryPrice: String(10_000 + (i % 40) * 25),
  margin: String(800 + (i % 9) * 100),
}));
// BP = 11,000 - 2,000/2 = 10,000: +10 credited (1 at 10,010), -5 drawn (0.5 at 9,990), 0.5 deleveraged at BP.
const liquidation = {
  markPrice: "9995",
  liquidated: { accountId: "bankrupt", side: "long", size: "2", entryPrice: "11000", margin: "2000" },
  executions: [
    { quantity: "1", price: "10010" },
    { quantity: "0.5", price: "9990" },
  ],
  counterparties: shorts,
  method: "bitmex",
};
const LIQ_DELTA = 5;

async function post(url, path, body, key) {
  return fetch(`${url}${path}`, { method: "POST", headers: { ...AUTH, "content-type": "application/json", "idempotency-key": key }, body });
}

/** Closed loop: CLIENTS clients, each sends its next request as soon as the previous answered. */
const seqs = {};
async function drive(url, label, keyPrefix, path, bodyFor, warmup) {
  seqs[keyPrefix] ??= 0;
  const run = async (ms, record) => {
    const stopAt = performance.now() + ms;
    const lat = [];
    let ok = 0;
    let errors = 0;
    const client = async () => {
      while (performance.now() < stopAt) {
        const i = seqs[keyPrefix]++;
        const t0 = performance.now();
        try {
          const res = await post(url, path, bodyFor(i), `${keyPrefix}-${i}`);
          await res.arrayBuffer();
          if (res.status === 201) ok++;
          else errors++;
        } catch {
          errors++;
        }
        if (record) lat.push(performance.now() - t0);
      }
    };
    const t = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    return { ok, errors, seconds: (performance.now() - t) / 1000, lat };
  };
  const warm = warmup ? await run(WARMUP_MS, false) : { ok: 0, errors: 0 };
  const r = await run(SECONDS * 1000, true);
  r.lat.sort((a, b) => a - b);
  const pct = (p) => r.lat[Math.min(r.lat.length - 1, Math.floor((p / 100) * r.lat.length))]?.toFixed(1);
  const rate = r.ok / r.seconds;
  console.log(`${label.padEnd(30)} ${rate.toFixed(0).padStart(6)} req/s  ok ${r.ok}  errors ${r.errors}  p50 ${pct(50)} ms  p99 ${pct(99)} ms`);
  return { rate, acknowledged: warm.ok + r.ok, errors: warm.errors + r.errors };
}

const server = await startServer();
try {
  const url = server.url;
  const put = await fetch(`${url}/v1/markets/${market}`, {
    method: "PUT",
    headers: { ...AUTH, "content-type": "application/json", "idempotency-key": "cfg" },
    body: JSON.stringify({ contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT" }),
  });
  if (put.status !== 200) throw new Error(`configure: ${put.status} ${await put.text()}`);

  console.log(`machine: ${os.cpus()[0]?.model} x${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`);
  console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`${CLIENTS} concurrent clients, ${ROUNDS} alternating rounds of ${SECONDS} s per route after ${WARMUP_MS / 1000} s warm-up, one market`);
  const depositBody = JSON.stringify({ amount: "1" });
  const liqBody = JSON.stringify(liquidation);
  const deps = [];
  const liqs = [];
  for (let r = 0; r < ROUNDS; r++) {
    deps.push(await drive(url, "deposit", "dep", `/v1/markets/${market}/insurance-fund/deposits`, () => depositBody, r === 0));
    liqs.push(await drive(url, `liquidation (${COUNTERPARTIES} counterparties)`, "liq", `/v1/markets/${market}/liquidations`, () => liqBody, r === 0));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const sum = (xs, k) => xs.reduce((a, x) => a + x[k], 0);
  const dep = { rate: median(deps.map((d) => d.rate)), acknowledged: sum(deps, "acknowledged"), errors: sum(deps, "errors") };
  const liq = { rate: median(liqs.map((d) => d.rate)), acknowledged: sum(liqs, "acknowledged"), errors: sum(liqs, "errors") };
  console.log(`median deposit ${dep.rate.toFixed(0)} req/s, median liquidation ${liq.rate.toFixed(0)} req/s`);
  console.log(`ratio liquidation / deposit: ${(liq.rate / dep.rate).toFixed(2)} (target >= 0.5)`);

  const fund = await (await fetch(`${url}/v1/markets/${market}/insurance-fund`, { headers: AUTH })).json();
  const expected = dep.acknowledged * 1 + liq.acknowledged * LIQ_DELTA;
  const lost = Number(fund.balance) !== expected;
  console.log(`final balance ${fund.balance}, expected ${expected} from acknowledged requests: ${lost ? "MISMATCH" : "no lost updates"}; errors ${dep.errors + liq.errors}`);
  if (lost || dep.errors + liq.errors > 0) process.exitCode = 1;
} finally {
  await server.stop();
}
