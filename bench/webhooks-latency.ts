// Webhook delivery latency, from the ledger write to the receiver: `npm start` on a free port (loopback delivery
// enabled as in local development), the example receiver (examples/webhook-receiver.ts, verifying every signature),
// and N liquidations that each hand size to ADL. Latency = the receiver's arrival time minus the event's `created`
// (the market object's clock when it wrote the ledger entry and the outbox row in one transaction); both clocks are
// this machine's. Path measured: outbox row -> market object's alarm -> tenant WebhookHub -> its alarm -> HTTP POST.
//   node --import tsx bench/webhooks-latency.ts      env: WEBHOOK_BENCH_EVENTS (default 200), WEBHOOK_BENCH_CONCURRENCY (default 4),
//   WEBHOOK_BENCH_DUMP=<file> (writes the delivery log and received events as JSON, to look at the gaps)
import { createReceiver } from "../examples/webhook-receiver";
import { authHeaders, startServer } from "../test/e2e/server";

const events = Number(process.env.WEBHOOK_BENCH_EVENTS ?? 200);
const concurrency = Number(process.env.WEBHOOK_BENCH_CONCURRENCY ?? 4);
const server = await startServer();
let secret = "";
const receiver = await createReceiver({ secrets: () => [secret] });
try {
  const call = async (method: string, path: string, body: unknown, key: string) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { ...authHeaders(), "content-type": "application/json", "idempotency-key": key }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const endpoint = await call("POST", "/v1/webhook-endpoints", { url: receiver.url, events: ["liquidation.adl"] }, "bench-ep");
  secret = endpoint.secret;
  const markets = Array.from({ length: concurrency }, (_, i) => `WH-BENCH-${i}`);
  for (const m of markets) {
    await call("PUT", `/v1/markets/${m}`, { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT", fundFloor: "1000" }, `bench-cfg-${m}`);
    await call("POST", `/v1/markets/${m}/insurance-fund/deposits`, { amount: "1500" }, `bench-dep-${m}`);
  }
  const body = (i: number) => ({
    markPrice: "9950",
    liquidated: { accountId: `b${i}`, side: "long", size: "2", entryPrice: "11000", margin: "2000" },
    executions: [],
    counterparties: [{ accountId: "s1", side: "short", size: "3", entryPrice: "11500", margin: "3000" }],
    method: "bitmex",
  });
  let next = 0;
  const started = Date.now();
  await Promise.all(
    markets.map(async (m) => {
      for (let i = next++; i < events; i = next++) await call("POST", `/v1/markets/${m}/liquidations`, body(i), `bench-liq-${i}`);
    }),
  );
  const deadline = Date.now() + 60_000;
  while (receiver.events.length < events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const lat = receiver.events.map((e) => e.receivedAt - Date.parse(e.created)).sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.ceil(p * lat.length) - 1)];
  const unverified = receiver.requests.filter((r) => r.verification !== true).length;
  console.log(
    `webhook delivery latency, ledger write -> receiver, ${lat.length}/${events} liquidation.adl events (${concurrency} markets in parallel, ${((Date.now() - started) / 1000).toFixed(1)} s): p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${lat[lat.length - 1]} ms; unverified requests ${unverified}`,
  );
  // Where the time goes, from the delivery log: ledger write -> the hub accepted the event (market object's alarm,
  // forward RPC), -> the hub's first attempt started (hub alarm, queue behind earlier deliveries to this endpoint),
  // -> the receiver got it (signing, HTTP POST over loopback).
  const log: { eventId: string; createdAt: string; attempts: { at: string; durationMs: number }[] }[] = [];
  for (let cursor: string | null = null; ; ) {
    const res = await fetch(`${server.url}/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=200${cursor ? `&cursor=${cursor}` : ""}`, { headers: authHeaders() });
    const page = (await res.json()) as { deliveries: typeof log; nextCursor: string | null };
    log.push(...page.deliveries);
    if (!(cursor = page.nextCursor)) break;
  }
  if (process.env.WEBHOOK_BENCH_DUMP) (await import("node:fs")).writeFileSync(process.env.WEBHOOK_BENCH_DUMP, JSON.stringify({ log, events: receiver.events }));
  const byId = new Map(log.map((d) => [d.eventId, d]));
  const stages = { forward: [] as number[], queue: [] as number[], send: [] as number[], attempt: [] as number[] };
  for (const e of receiver.events) {
    const d = byId.get(e.id);
    if (!d || d.attempts.length === 0) continue;
    const accepted = Date.parse(d.createdAt);
    const attempted = Date.parse(d.attempts[d.attempts.length - 1]!.at);
    stages.forward.push(accepted - Date.parse(e.created));
    stages.queue.push(attempted - accepted);
    stages.send.push(e.receivedAt - attempted);
    stages.attempt.push(d.attempts[d.attempts.length - 1]!.durationMs);
  }
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  };
  console.log(
    `  stages (p50 / p99 ms): write -> hub accepted ${pct(stages.forward, 0.5)} / ${pct(stages.forward, 0.99)}, -> attempt started ${pct(stages.queue, 0.5)} / ${pct(stages.queue, 0.99)}, -> receiver ${pct(stages.send, 0.5)} / ${pct(stages.send, 0.99)}; one attempt (POST to answer) ${pct(stages.attempt, 0.5)} / ${pct(stages.attempt, 0.99)}`,
  );
  if (lat.length < events) process.exitCode = 1;
} finally {
  await receiver.close();
  await server.stop();
}
