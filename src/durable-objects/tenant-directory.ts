import { DurableObject } from "cloudflare:workers";
import type { MarketListPage, MarketView } from "./fund-rpc";
import { DirectoryStore, migrateDirectory } from "./directory-store";

/**
 * The market directory of one tenant (named by the tenant id): what GET /v1/markets lists. Market objects write to
 * it (register); the HTTP layer only reads. Thin: the statements live in directory-store.ts.
 */
/** Uses no bindings (so it does not import src/env.ts, which names this class). */
export class TenantDirectory extends DurableObject<object> {
  private readonly store: DirectoryStore;

  constructor(ctx: DurableObjectState, env: object) {
    super(ctx, env);
    migrateDirectory(ctx.storage);
    this.store = new DirectoryStore(ctx.storage.sql);
  }

  async register(view: MarketView): Promise<void> {
    this.store.register(view, Date.now());
  }

  /** Ascending by market id, markets after `cursor` (a market id from a previous page). */
  async list(cursor: string | null, limit: number): Promise<MarketListPage> {
    const rows = this.store.after(cursor ?? "", limit + 1);
    const markets = rows.slice(0, limit);
    return { markets, nextCursor: rows.length > limit ? markets[markets.length - 1]!.marketId : null };
  }

  async count(): Promise<number> {
    return this.store.count();
  }
}
