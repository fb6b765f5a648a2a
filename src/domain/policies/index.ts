/**
 * ADL policies (domain.md section 6): how the deleveraged quantity is shared among the opposite side.
 *   queue              the ranked queue (section 4-5): `method` orders the side, the top gives first (adl.ts).
 *   pro-rata           same fraction of every position (pro-rata.ts).
 *   capped-pro-rata    same fraction of every winner's positive PnL, capped, principal untouched (capped-pro-rata.ts).
 *   leverage-draining  the most leveraged first, down to a common leverage (leverage-draining.ts).
 * Every policy decides the plan the queue walk decides (fills.ts AdlFills: parsed values; the routes write it,
 * fast/fills.ts). All are deterministic (ties by accountId).
 * Plain data in, result out; no I/O, no clock.
 */
import type { AdlFills } from "../fills";
import { type ParsedMarket } from "../market";
import { type ParsedPosition, parsePosition } from "../position";
import { DomainError, type DomainIssue, type PositionInput, type Side } from "../types";
import { cappedProRata } from "./fast/capped-pro-rata";
import type { Policy, PolicyInput } from "./fast/common";
import { leverageDraining } from "./fast/leverage-draining";
import { fastPosition } from "../fast/parsed-position";
import { proRata } from "./fast/pro-rata";

export const POLICIES = ["queue", "pro-rata", "capped-pro-rata", "leverage-draining"] as const;
export type PolicyName = (typeof POLICIES)[number];
export const DEFAULT_POLICY: PolicyName = "queue";

/** The policies that allocate over the whole side at once (the queue is a walk and needs a ranking: adl.ts). */
export const ALLOCATIONS: Record<Exclude<PolicyName, "queue">, Policy> = {
  "pro-rata": proRata,
  "capped-pro-rata": cappedProRata,
  "leverage-draining": leverageDraining,
};

export function planAllocation(policy: Exclude<PolicyName, "queue">, input: PolicyInput): AdlFills {
  return ALLOCATIONS[policy](input);
}

const MAX_ISSUES = 50;

/**
 * Parses every counterparty (the allocating policies look at all of them; ../fast/parsed-position.ts: checked from the strings, decimal
 * fields built only when a policy reads them), and checks what a queue walk checks as it
 * goes: each holds `opposite`, account ids are distinct and differ from the bankrupt account's. Reports up to
 * MAX_ISSUES problems at once, each with its pointer.
 */
export function parseCounterparties(
  market: ParsedMarket,
  inputs: readonly PositionInput[],
  opposite: Side,
  bankruptAccountIds: ReadonlySet<string>,
  pointerPrefix = "/counterparties",
): ParsedPosition[] {
  const issues: DomainIssue[] = [];
  const out: ParsedPosition[] = new Array(inputs.length);
  const seen = new Set<string>();
  const lotSize = market.lotSize.toFixed();
  for (let i = 0; i < inputs.length && issues.length < MAX_ISSUES; i++) {
    const c = inputs[i]!;
    const fast = fastPosition(c, market, lotSize, pointerPrefix, i);
    if (fast !== undefined) out[i] = fast;
    else {
      try {
        out[i] = parsePosition(c, market, `${pointerPrefix}/${i}`);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        issues.push(...e.issues);
        continue;
      }
    }
    if (c.side !== opposite) issues.push({ pointer: `${pointerPrefix}/${i}/side`, code: "wrong_side", message: `a counterparty must hold ${opposite}, the side opposite the bankrupt position` });
    if (bankruptAccountIds.has(c.accountId)) issues.push({ pointer: `${pointerPrefix}/${i}/accountId`, code: "self_counterparty", message: "a bankrupt account cannot be its own counterparty" });
    if (seen.has(c.accountId)) issues.push({ pointer: `${pointerPrefix}/${i}/accountId`, code: "duplicate_account", message: `account ${JSON.stringify(c.accountId)} appears twice` });
    seen.add(c.accountId);
  }
  if (issues.length > 0) throw new DomainError(issues.slice(0, MAX_ISSUES));
  return out;
}

export type { Policy, PolicyInput } from "./fast/common";
