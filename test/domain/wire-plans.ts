/**
 * The ADL plans as the wire writes them, for tests stated in strings (fill quantities, realised PnL, remaining
 * sizes): src decides plans in parsed values (fills.ts AdlFills) and writes them once at the edge; these compose the
 * two as the service and its specification do.
 *   planFills            the queue walk, written by the specification's writer (fills.ts walkQueue + fillsToWire)
 *   ALLOCATING_POLICIES  each allocating policy as the service runs and writes it (policies/fast + fast/fills.ts)
 *   REFERENCE            each allocating policy's specification, written by the specification's writer
 */
import { type FillPlan, type FillRequest, fillsToWire, walkQueue } from "../../src/domain/fills";
import { fillsToWireFast } from "../../src/domain/fast/fills";
import { ALLOCATIONS, type PolicyInput, type PolicyName } from "../../src/domain/policies";
import * as spec from "../../src/domain/policies/spec";

type Allocating = Exclude<PolicyName, "queue">;

export function planFills(req: FillRequest): FillPlan {
  return fillsToWire(walkQueue(req));
}

export const ALLOCATING_POLICIES: Record<Allocating, (input: PolicyInput) => FillPlan> = {
  "pro-rata": (input) => fillsToWireFast(ALLOCATIONS["pro-rata"](input)),
  "capped-pro-rata": (input) => fillsToWireFast(ALLOCATIONS["capped-pro-rata"](input)),
  "leverage-draining": (input) => fillsToWireFast(ALLOCATIONS["leverage-draining"](input)),
};
export const proRata = ALLOCATING_POLICIES["pro-rata"];
export const cappedProRata = ALLOCATING_POLICIES["capped-pro-rata"];
export const leverageDraining = ALLOCATING_POLICIES["leverage-draining"];

export const REFERENCE: Record<Allocating, (input: PolicyInput) => FillPlan> = {
  "pro-rata": (input) => fillsToWire(spec.proRata(input)),
  "capped-pro-rata": (input) => fillsToWire(spec.cappedProRata(input)),
  "leverage-draining": (input) => fillsToWire(spec.leverageDraining(input)),
};
