import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../env";

/** Insurance fund and ledger of one (tenant, market). RPC surface only; storage lives in the store module. */
export class MarketFund extends DurableObject<Bindings> {
  async ping(): Promise<string> {
    return "ok";
  }
}
