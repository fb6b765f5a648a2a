/**
 * Seeds a configured market's ledger at chosen times through the store module (FundStore.append, the statement
 * every booking uses), then brings the fund row and the object's cache in line, as if the entries had been booked
 * by deposits and withdrawals at those times. Tests of time filters and history need entries spread over hours.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Decimal } from "../../src/domain/num/decimal";
import type { LedgerKind } from "../../src/durable-objects/fund-rpc";
import { FundStore } from "../../src/durable-objects/fund-store";
import type { MarketFund } from "../../src/durable-objects/market-fund";
import type { Bindings } from "../../src/env";

export interface SeedEntry {
  kind: LedgerKind;
  /** Signed amount. */
  amount: string;
  at: number;
  reference?: string | null;
}

export function fundObject(tenant: string, marketId: string) {
  const ns = (env as unknown as Bindings).MARKET_FUND;
  return ns.get(ns.idFromName(`${tenant}:${marketId}`)) as DurableObjectStub<MarketFund>;
}

/** Appends `entries` in order (the balance must stay >= 0 for a realistic ledger; not checked here). */
export async function seedLedger(tenant: string, marketId: string, entries: SeedEntry[]): Promise<void> {
  await runInDurableObject(fundObject(tenant, marketId), (instance, state) => {
    const store = new FundStore(state.storage.sql);
    state.storage.transactionSync(() => {
      const fund = store.fund();
      let balance = new Decimal(fund?.balance ?? "0");
      let version = fund?.version ?? 0;
      let i = 0;
      for (const e of entries) {
        balance = balance.plus(e.amount);
        store.append({
          kind: e.kind,
          amount: new Decimal(e.amount),
          balanceAfter: balance,
          idempotencyKey: `seed-${e.at}-${i++}`,
          requestDigest: "seed",
          liquidationId: null,
          reference: e.reference ?? null,
          now: e.at,
        });
        version++;
      }
      store.putFund(balance, false, version, entries.at(-1)?.at ?? Date.now());
    });
    // The object caches market and fund state; re-read it from storage.
    (instance as unknown as { load(): void }).load();
  });
}
