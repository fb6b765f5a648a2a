/**
 * The rankings as objects, one per position: the readable form the domain tests assert on, built from the columns
 * the service computes (src/domain/ranking/rank.ts rankColumns) with the same wire strings (columnWire). The route
 * writes the same values as bytes straight from the columns (test/node/serialize-rankings.test.ts proves the bytes
 * equal JSON.stringify of this); nothing in src needs the object form, so it lives with the tests.
 */
import type { components } from "../../sdk/src/generated/schema";
import { type RankedColumns, type RankingRequest, columnWire, rankColumns } from "../../src/domain/ranking/rank";

/** The wire shapes of POST /v1/adl/rankings, as the SDK generates them from openapi.yaml. */
export type RankedPosition = components["schemas"]["RankedPosition"];
export type Rankings = components["schemas"]["Rankings"];

export function rankPositions(req: RankingRequest): Rankings {
  const cols = rankColumns(req);
  return { long: toObjects(cols.long), short: toObjects(cols.short) };
}

function toObjects(c: RankedColumns): RankedPosition[] {
  const out: RankedPosition[] = new Array(c.n);
  for (let r = 0; r < c.n; r++) {
    const p = c.batch[c.index[r]!]!;
    out[r] = {
      accountId: p.accountId,
      size: p.size,
      score: columnWire(c.score, r),
      rank: r + 1,
      indicator: c.indicator[r]!,
      pnlRatio: columnWire(c.pnlRatio, r)!,
      effectiveLeverage: columnWire(c.effectiveLeverage, r),
      bankruptcyPrice: columnWire(c.bankruptcyPrice, r),
    };
  }
  return out;
}
