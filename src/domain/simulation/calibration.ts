/**
 * A book calibrated to one published ADL wave of Hyperliquid's 10 Oct 2025 event (../shared/data, the per-wave
 * aggregates of pluriholonomic/autodeleveraging-analysis): `losers` long positions whose deficits at the crash mark
 * add up exactly to the wave's needed budget (sum |execution - bankruptcy price| x quantity: the PnL that had to be
 * taken from winners), and short winners whose positive PnL at that mark adds up exactly to the wave's winners'
 * capacity (and enough contracts to absorb the losers' quantity). The crash is one step from 10,000 to 9,000 with executions at mark (impact none) and an empty fund, so
 * everything the losers lack goes to ADL. Plain data in, result out; no I/O, no clock.
 */
import { Decimal, roundToDecimals, toWire } from "../num/decimal";
import type { SimulationInput } from "./request";

export interface Wave {
  wave: number;
  uniqueLosers: number;
  budgetNeededUsd: string;
  budgetProductionUsd: string;
  winnersCapacityUsd: string;
}

const ENTRY = 10_000;
const CRASH = 9_000;
const WINNERS = 200;

/** Splits `total` (cents) into `n` parts that differ by at most one cent and add up exactly. */
function split(totalCents: bigint, n: number): bigint[] {
  const base = totalCents / BigInt(n);
  const extra = Number(totalCents % BigInt(n));
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1n : 0n));
}

const cents = (usd: string) => BigInt(new Decimal(usd).times(100).toFixed(0));

export function waveScenario(w: Wave, policies?: SimulationInput["policies"]): SimulationInput {
  const positions: SimulationInput["positions"] = [];
  // Loser i: long `size` at ENTRY whose bankruptcy price is CRASH + deficit/size, i.e. margin = (ENTRY - BP) * size.
  // size is a power of ten at least twice what the largest deficit needs (BP stays below entry), so BP has at most
  // 2 + log10(size) decimals: on the 10^-7 tick grid for sizes up to 10^5.
  const deficits = split(cents(w.budgetNeededUsd), w.uniqueLosers);
  const largest = deficits.reduce((a, b) => (b > a ? b : a), 0n);
  let size = 10;
  while (size * (ENTRY - CRASH) * 100 < 2 * Number(largest)) size *= 10;
  if (size > 100_000) throw new RangeError("a loser's deficit is too large for the tick grid");
  deficits.forEach((d, i) => {
    const bp = new Decimal(CRASH).plus(new Decimal(d.toString()).div(100).div(size));
    positions.push({ accountId: `loser-${i}`, side: "long", size: String(size), entryPrice: String(ENTRY), margin: new Decimal(ENTRY).minus(bp).times(size).toFixed() });
  });
  // Winner j: short S contracts whose PnL at CRASH is its share of the capacity: entry CRASH + pnl/S (a tick multiple:
  // pnl in cents, S a power of ten <= 10^5). S is large enough that the winners can absorb every loser's quantity
  // twice over (ADL closes contract for contract, so quantity, not only PnL, must suffice).
  const loserQuantity = w.uniqueLosers * size;
  let s = 1;
  while (WINNERS * s < 2 * loserQuantity) s *= 10;
  split(cents(w.winnersCapacityUsd), WINNERS).forEach((c, j) => {
    const entry = new Decimal(CRASH).plus(new Decimal(c.toString()).div(100).div(s));
    positions.push({ accountId: `winner-${j}`, side: "short", size: String(s), entryPrice: entry.toFixed(), margin: toWire(roundToDecimals(entry.times(s).div(5), 2, "up")) }); // 5x, up onto cents: never more leverage
  });
  return {
    market: { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.0000001", settlementAsset: "USDC", amountDecimals: 2 },
    markPrice: String(ENTRY),
    positions,
    fund: { balance: "0" },
    liquidation: { maintenanceMarginRate: "0" },
    scenario: { markPath: [String(CRASH)] },
    impact: { model: "none" },
    ...(policies ? { policies } : {}),
    output: { events: false, steps: false },
  };
}

/** Parses the published per-wave CSV (header comment lines start with '#'). */
export function parseWaves(csv: string): Wave[] {
  const lines = csv.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const head = lines[0]!.split(",");
  const col = (name: string) => head.indexOf(name);
  return lines.slice(1).map((l) => {
    const f = l.split(",");
    return {
      wave: Number(f[col("wave")]),
      uniqueLosers: Number(f[col("unique_losers")]),
      budgetNeededUsd: f[col("budget_needed_usd")]!,
      budgetProductionUsd: f[col("budget_production_usd")]!,
      winnersCapacityUsd: f[col("winners_capacity_usd")]!,
    };
  });
}
