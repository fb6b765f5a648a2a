/**
 * The allocating ADL policies as readable specifications (domain.md section 6): what each policy means, in exact
 * Decimal and BigInt arithmetic. The service runs the accelerated versions in ../ (scaled integers from the wire
 * strings, columns); test/domain/policies.reference.test.ts proves them equal to these, fill string for fill string,
 * on random sides (through the wire: the service's fast/fills.ts writer against fills.ts fillsToWire). This folder was test/domain/policies-reference.ts (a verbatim copy of the policies before the
 * scaled-integer paths, 678b2f2); it lives in src so the specification is read where the code is.
 */
import { type FillPlan, fillsToWire } from "../../fills";
import { cappedProRata as cappedProRataFills } from "./capped-pro-rata";
import type { PolicyInput } from "./common";
import { leverageDraining as leverageDrainingFills } from "./leverage-draining";
import { proRata as proRataFills } from "./pro-rata";

// Each policy's plan (parsed values) and, under the policy's name, written by the specification's wire writer
// (fills.ts fillsToWire): what a test compares, string for string, with what the service answers.
export { cappedProRataFills, leverageDrainingFills, proRataFills };
export const proRata = (input: PolicyInput): FillPlan => fillsToWire(proRataFills(input));
export const cappedProRata = (input: PolicyInput): FillPlan => fillsToWire(cappedProRataFills(input));
export const leverageDraining = (input: PolicyInput): FillPlan => fillsToWire(leverageDrainingFills(input));
export type { Policy, PolicyInput } from "./common";
