/**
 * What a liquidation is asked to do, as the domain receives it: the wire body after the HTTP schema checked its
 * shape (decimal strings, enums, lengths), and the one parse of it against the market (lots, ticks, sides, every
 * counterparty). Nothing else in the liquidation re-reads a string.
 */
import { type AdlPriceRule, type LiquidationInput, type ParsedLiquidation, parseLiquidation } from "../fund/waterfall";
import type { FundConfig } from "../fund/config";
import { type PreparedOpposite, prepareOpposite } from "../adl";
import type { PolicyName } from "../policies";
import type { RankingMethod } from "../ranking/spec/methods";
import type { PositionInput } from "../types";
import { DEFAULT_ADL_PRICE_RULE } from "../vocabulary";

export interface LiquidationRequest extends LiquidationInput {
  /**
   * Opposite-side positions for ADL, any order. Over HTTP always present (possibly empty). Omitted only by callers
   * that decide the fund's part without anybody to deleverage against: the ADL quantity is then reported unfilled
   * and no ranking method is needed.
   */
  counterparties?: readonly PositionInput[];
  method?: RankingMethod;
  /** Overrides the market's adlPolicy. */
  policy?: PolicyName;
  /** Default "bankruptcy". */
  priceRule?: AdlPriceRule;
  seed?: string;
}

/** The ADL terms of one liquidation, with the market's default policy already applied. */
export interface AdlTerms {
  policy: PolicyName;
  priceRule: AdlPriceRule;
  method: RankingMethod | undefined;
  seed: string | undefined;
}

export interface ParsedLiquidationRequest {
  accountId: string;
  liquidation: ParsedLiquidation;
  terms: AdlTerms;
  /** The opposite side, validated and prepared; null when the request carries no counterparties. */
  opposite: PreparedOpposite | null;
}

export function adlTerms(config: FundConfig, req: LiquidationRequest): AdlTerms {
  return { policy: req.policy ?? config.adlPolicy, priceRule: req.priceRule ?? DEFAULT_ADL_PRICE_RULE, method: req.method, seed: req.seed };
}

/**
 * Step 0 of `liquidate`: the request against the market, every bad field reported with its pointer (DomainError).
 * Order of checks as before this module existed: the position and executions first, then the opposite side.
 */
export function parseLiquidationRequest(config: FundConfig, req: LiquidationRequest): ParsedLiquidationRequest {
  const liquidation = parseLiquidation(config, req);
  const terms = adlTerms(config, req);
  const opposite =
    req.counterparties === undefined
      ? null
      : prepareOpposite({
          market: config.market,
          mark: liquidation.markPrice,
          liquidatedSide: liquidation.side,
          liquidatedAccountId: req.liquidated.accountId,
          policy: terms.policy,
          method: terms.method,
          seed: terms.seed,
          counterparties: req.counterparties,
        });
  return { accountId: req.liquidated.accountId, liquidation, terms, opposite };
}
