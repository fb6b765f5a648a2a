/**
 * Per-isolate cache of market configurations, so a liquidation can be validated completely (including its
 * counterparties, which only the stateless planner checks) before the fund object changes anything. The object
 * stays the authority: it refuses a liquidation validated against another configuration version (conflict with
 * the current version), and the caller then refreshes this cache and validates again.
 */
import type { Context } from "hono";
import { type FundConfig, fundConfigFromWire } from "../../domain/fund/config";
import type { MarketView } from "../../durable-objects/fund-rpc";
import type { AppEnv } from "../../env";
import { ProblemError } from "../problem";
import { fundName, fundStub } from "./fund-shared";

export interface CachedMarket {
  view: MarketView;
  config: FundConfig;
}

const MAX_ENTRIES = 10_000;
const cache = new Map<string, CachedMarket>();

function put(name: string, view: MarketView): CachedMarket {
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const entry = { view, config: fundConfigFromWire(view) };
  cache.set(name, entry);
  return entry;
}

export function rememberMarket(c: Context<AppEnv>, marketId: string, view: MarketView): void {
  const name = fundName(c, marketId);
  if ((cache.get(name)?.view.version ?? 0) <= view.version) put(name, view);
}

export async function marketFor(c: Context<AppEnv>, marketId: string, refresh = false): Promise<CachedMarket> {
  const name = fundName(c, marketId);
  const hit = refresh ? undefined : cache.get(name);
  if (hit) return hit;
  const view = await fundStub(c, marketId).getMarket();
  if (!view) throw new ProblemError("not-found", `Market ${marketId} is not configured; PUT /v1/markets/${marketId} first`);
  return put(name, view);
}
