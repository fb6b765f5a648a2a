// Mixed load on the real local server, loopback only, bounded in time: ADL rankings (a batch of positions, stateless)
// and liquidations (100 counterparties, through the insurance fund's Durable Object) at the same time, each driven by
// autocannon with its own connections. Prints req/s, p50/p99 latency per route and combined, errors; then checks the
// fund: its balance equals the sum of its ledger.
//
//   node --import tsx bench/load.mjs [--seconds 10] [--connections 32] [--positions 200] [--url http://127.0.0.1:8787]
//   (without --url a fresh server is started with `npm start` on a free port; with it, the dev key must be configured)
import autocannon from "autocannon";
import os from "node:os";

export const DEV_KEY = "adl_dev_local_only_not_a_secret_tenant_dev";

function rankingBody(n) {
  const positions = Array.from({ length: n }, (_, i) => ({
    accountId: `acct-${i}`,
    side: i % 2 ? "short" : "long",
    size: String(1 + (i % 7)),
    entryPrice: String(9_000 + (i % 50) * 40),
    margin: String(500 + (i % 11) * 150),
  }));
  return { market: { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1" }, markPrice: "10000", method: "bitmex", indicator: "bybit", positions };
}

function liquidationBody(counterparties) {
  const shorts = Array.from({ length: counterparties }, (_, i) => ({
    accountId: `short-${i}`,
    side: "short",
    size: String(1 + (i % 5)),
    entryPrice: String(10_000 + (i % 40) * 25),
    margin: String(800 + (i % 9) * 100),
  }));
  // BP 10,000: +10 credited (1 at 10,010), -5 drawn (0.5 at 9,990), 0.5 deleveraged: the fund grows by 5 each time.
  return {
    markPrice: "9995",
    liquidated: { accountId: "bankrupt", side: "long", size: "2", entryPrice: "11000", margin: "2000" },
    executions: [
      { quantity: "1", price: "10010" },
      { quantity: "0.5", price: "9990" },
    ],
    counterparties: shorts,
    method: "bitmex",
  };
}

const pct = (r) => ({ p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, mean: r.latency.average });

function run(opts) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    // autocannon prints nothing by itself when no tracker is attached.
    void instance;
  });
}

/**
 * Runs rankings and liquidations concurrently against `url` for `seconds`. Returns per-route and combined figures.
 * Only loopback URLs are accepted: this is a local measurement, never a load test of someone else's service.
 */
export async function runMixedLoad({ url, key = DEV_KEY, seconds = 10, connections = 32, positions = 200, counterparties = 100, market = `LOAD-${Date.now().toString(36)}` }) {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) throw new Error(`load runs on loopback only, not ${host}`);
  const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };

  const put = await fetch(`${url}/v1/markets/${market}`, {
    method: "PUT",
    headers: { ...auth, "idempotency-key": `cfg-${market}` },
    body: JSON.stringify({ contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT" }),
  });
  if (put.status !== 200) throw new Error(`market setup failed: ${put.status} ${await put.text()}`);
  const seed = await fetch(`${url}/v1/markets/${market}/insurance-fund/deposits`, { method: "POST", headers: { ...auth, "idempotency-key": `seed-${market}` }, body: JSON.stringify({ amount: "100000" }) });
  if (seed.status !== 201) throw new Error(`deposit failed: ${seed.status}`);

  const liqConnections = Math.max(1, Math.floor(connections / 2));
  const rankConnections = Math.max(1, connections - liqConnections);
  let liqSeq = 0;
  let liqAcked = 0;
  const [rankings, liquidations] = await Promise.all([
    run({ url: `${url}/v1/adl/rankings`, method: "POST", headers: auth, body: JSON.stringify(rankingBody(positions)), connections: rankConnections, duration: seconds }),
    run({
      url,
      connections: liqConnections,
      duration: seconds,
      requests: [
        {
          method: "POST",
          path: `/v1/markets/${market}/liquidations`,
          headers: auth,
          body: JSON.stringify(liquidationBody(counterparties)),
          setupRequest: (req) => ({ ...req, headers: { ...req.headers, "idempotency-key": `load-liq-${liqSeq++}` } }),
          onResponse: (status) => {
            if (status === 201) liqAcked++;
          },
        },
      ],
    }),
  ]);

  // The fund after the load: balance equals the ledger sum, one liquidation's entries per acknowledged liquidation.
  const scaled = (s) => {
    const neg = s.startsWith("-");
    const [i = "0", f = ""] = s.replace("-", "").split(".");
    const v = BigInt(i) * 10n ** 8n + BigInt((f + "00000000").slice(0, 8));
    return neg ? -v : v;
  };
  // Requests still in flight when autocannon stopped its clock are still being booked: wait until the fund is quiet.
  const readFund = async () => (await fetch(`${url}/v1/markets/${market}/insurance-fund`, { headers: auth })).json();
  let fund = await readFund();
  for (let previous = -1; fund.version !== previous; ) {
    previous = fund.version;
    await new Promise((r) => setTimeout(r, 500));
    fund = await readFund();
  }
  let sum = 0n;
  let entries = 0;
  let cursor = null;
  do {
    const page = await (await fetch(`${url}/v1/markets/${market}/insurance-fund/ledger?limit=500${cursor ? `&cursor=${cursor}` : ""}`, { headers: auth })).json();
    for (const e of page.entries) sum += scaled(e.amount);
    entries += page.entries.length;
    cursor = page.nextCursor;
  } while (cursor);

  const errorsOf = (r) => r.errors + r.timeouts + r.non2xx;
  const total = rankings.requests.total + liquidations.requests.total;
  return {
    seconds,
    connections: { rankings: rankConnections, liquidations: liqConnections },
    rankings: { requests: rankings.requests.total, rps: rankings.requests.average, ...pct(rankings), errors: errorsOf(rankings), statusCodes: rankings.statusCodeStats },
    liquidations: { requests: liquidations.requests.total, acknowledged: liqAcked, rps: liquidations.requests.average, ...pct(liquidations), errors: errorsOf(liquidations), statusCodes: liquidations.statusCodeStats },
    combined: { requests: total, rps: rankings.requests.average + liquidations.requests.average, errors: errorsOf(rankings) + errorsOf(liquidations) },
    fund: { balance: fund.balance, ledgerEntries: entries, balanceEqualsLedgerSum: scaled(fund.balance) === sum },
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  };
}

export function formatLoad(r) {
  const line = (name, x) => `  ${name.padEnd(13)} ${String(x.requests).padStart(6)} req  ${x.rps.toFixed(0).padStart(5)} req/s  p50 ${x.p50} ms  p99 ${x.p99} ms  max ${x.max} ms  errors ${x.errors}`;
  return [
    `mixed load, ${r.seconds} s, connections: rankings ${r.connections.rankings} + liquidations ${r.connections.liquidations} (${r.machine})`,
    line("rankings", r.rankings),
    line("liquidations", r.liquidations),
    `  combined      ${String(r.combined.requests).padStart(6)} req  ${r.combined.rps.toFixed(0).padStart(5)} req/s  errors ${r.combined.errors}`,
    `  fund: ${r.liquidations.acknowledged} liquidations acknowledged, ${r.fund.ledgerEntries} ledger entries, balance ${r.fund.balance}, balance = ledger sum: ${r.fund.balanceEqualsLedgerSum}`,
  ].join("\n");
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  let server;
  let url = arg("url", undefined);
  if (!url) {
    const { startServer } = await import("../test/e2e/server.ts");
    server = await startServer();
    url = server.url;
  }
  try {
    const result = await runMixedLoad({ url, seconds: Number(arg("seconds", 10)), connections: Number(arg("connections", 32)), positions: Number(arg("positions", 200)) });
    console.log(formatLoad(result));
    if (result.combined.errors > 0 || !result.fund.balanceEqualsLedgerSum) process.exitCode = 1;
  } finally {
    await server?.stop();
  }
}
