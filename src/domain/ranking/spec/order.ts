/**
 * The ADL queue order (domain.md section 4), a total order on one side's positions:
 *   1. score, descending, compared exactly (methods.ts; a position at or past bankruptcy has no score: minus
 *      infinity, last);
 *   2. then larger size first (same market, so larger notional first: notional is proportional to size);
 *   3. then accountId ascending by UTF-16 code units (unique per side, so the order is total).
 * Because it is total and depends only on each position's own data, the queue does not depend on batch order.
 *
 * This is the specification. The service sorts with the same order decided by float keys wherever their error
 * bounds separate two values (../fast/order.ts), proven equal to this by test/domain/ranking.property.test.ts.
 */
import { cmpScoreDesc } from "./methods";
import { cmp, type Rational } from "../../num/rational";

/** What the order reads of a queued position: its exact score (null: at or past bankruptcy) and size. */
export interface Queued {
  accountId: string;
  size: Rational;
  score: Rational | null;
}

/** accountId ascending by UTF-16 code units (JavaScript's `<` on strings): the last tie-break of every queue. */
export function compareAccountIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The ADL order: negative when `a` is closed before `b`. */
export function queueOrder(a: Queued, b: Queued): number {
  return cmpScoreDesc(a.score, b.score) || -cmp(a.size, b.size) || compareAccountIds(a.accountId, b.accountId);
}
