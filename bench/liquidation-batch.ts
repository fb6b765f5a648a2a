/**
 * Batch liquidations in process (issue 15): 1,000 bankrupt longs against 100,000 counterparties (shorts) in one
 * liquidateBatch call (what the market's Durable Object runs inside its transaction, storage aside), against the
 * same 1,000 liquidations as single `liquidate` calls, each given the previous call's remaining positions (the
 * batch's equivalence convention), on the same data. Checks the two agree (fills and final balance), prints both
 * times, the speed-up, and the batch's peak memory in a fresh process capped at --max-old-space-size=128.
 *
 *   node --import tsx bench/liquidation-batch.ts [--items 1000] [--counterparties 100000] [--singles 1000]
 * `--singles k` times the first k single calls only and reports their mean times 1,000 as an extrapolation
 * (labelled as such); the default runs all of them.
 */
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { Decimal } from "../src/domain/num/decimal";
import { parseFundConfig } from "../src/domain/fund/config";
import { type BatchRequest, afterFill, canonicalPosition, liquidate, liquidateBatch, outcomeToWire, singleRequest } from "../src/domain/liquidation";
import type { PositionInput } from "../src/domain/types";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ITEMS = arg("items", 1000);
const N = arg("counterparties", 100_000);
const SINGLES = Math.min(ITEMS, arg("singles", ITEMS));

const config = parseFundConfig({ contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT", fundFloor: "1000" });
const state = () => ({ balance: new Decimal("50000"), peakBalance: new Decimal("50000"), adlActive: false });

/** Deterministic data: shorts of 0.5-10 contracts at entries around mark, longs bankrupt at BP 19,900-20,000. */
export function data(items: number, n: number): BatchRequest {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const counterparties: PositionInput[] = Array.from({ length: n }, (_, i) => ({
    accountId: `short-${i}`,
    side: "short",
    size: (0.5 + Math.floor(rnd() * 95) / 10).toFixed(3),
    entryPrice: (19000 + Math.floor(rnd() * 30000) / 10).toFixed(1),
    margin: (200 + Math.floor(rnd() * 500000) / 100).toFixed(2),
  }));
  const liquidated = Array.from({ length: items }, (_, i) => {
    const size = 1 + (i % 5);
    // entry - margin/size = BP in [19,900, 20,000): a loss fill at mark plus a remainder for ADL.
    const bp = 19900 + (i % 100);
    return { accountId: `bankrupt-${i}`, side: "long" as const, size: String(size), entryPrice: String(bp + 1000), margin: String(size * 1000), executions: [{ quantity: "0.5", price: "19950" }] };
  });
  return { markPrice: "19950", method: "bitmex", liquidated, counterparties };
}

function mem(): void {
  // Child: one batch, print the peak heap it reached.
  const req = data(ITEMS, N);
  const out = liquidateBatch(config, state(), req);
  const used = process.memoryUsage();
  console.log(JSON.stringify({ fills: out.totals.fills, heapUsedMb: Math.round(used.heapUsed / 2 ** 20), rssMb: Math.round(used.rss / 2 ** 20) }));
}

function main(): void {
  const req = data(ITEMS, N);
  const t0 = performance.now();
  const batch = liquidateBatch(config, state(), req);
  const batchMs = performance.now() - t0;
  console.log(`batch: ${ITEMS} bankrupt positions x ${N} counterparties in one call: ${batchMs.toFixed(0)} ms (${batch.totals.fills} fills, ADL ${batch.totals.adlFilledQuantity} contracts, fund ${batch.totals.balanceBefore} -> ${batch.totals.balanceAfter})`);

  const mark = new Decimal(req.markPrice);
  let cps = req.counterparties.map(canonicalPosition);
  let s = state();
  const t1 = performance.now();
  for (let i = 0; i < SINGLES; i++) {
    const out = liquidate(config, s, singleRequest(req, i, cps.filter((c) => c.size !== "0")));
    const index = new Map(cps.map((c, j) => [c.accountId, j]));
    const fills = outcomeToWire(out).adl.plan?.fills ?? [];
    for (const f of fills) {
      const j = index.get(f.accountId)!;
      cps[j] = afterFill(config.market, config.amountDecimals, mark, cps[j]!, f);
    }
    const expected = batch.items[i]!;
    if (JSON.stringify(fills) !== JSON.stringify(outcomeToWire(expected).adl.plan?.fills ?? []) || !out.decision.fund.balanceAfter.eq(expected.decision.fund.balanceAfter)) {
      throw new Error(`single ${i} differs from the batch's item ${i}`);
    }
    s = out.fundAfter;
  }
  const singlesMs = performance.now() - t1;
  const perSingle = singlesMs / SINGLES;
  const total = SINGLES === ITEMS ? singlesMs : perSingle * ITEMS;
  console.log(
    `singles: ${SINGLES} single liquidate() calls, each with the remaining ${N}-position side: ${singlesMs.toFixed(0)} ms (${perSingle.toFixed(1)} ms each)` +
      (SINGLES === ITEMS ? "" : `; x${ITEMS} extrapolated: ${total.toFixed(0)} ms`) +
      `; same fills and balances as the batch`,
  );
  console.log(`speed-up: batch ${(total / batchMs).toFixed(1)}x faster than ${ITEMS} singles (target >= 20x; batch target < 1000 ms)`);

  const child = spawnSync(process.execPath, ["--max-old-space-size=128", "--import", "tsx", new URL(import.meta.url).pathname, "--child", "--items", String(ITEMS), "--counterparties", String(N)], { encoding: "utf8" });
  console.log(`memory: under --max-old-space-size=128 the batch ${child.status === 0 ? "completes" : "FAILS"}: ${(child.stdout || child.stderr).trim().split("\n").pop()}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes("--child")) mem();
  else main();
}
