/**
 * The allocating ADL policies as readable specifications (domain.md section 6): what each policy means, in exact
 * Decimal and BigInt arithmetic. The service runs the accelerated versions in ../ (scaled integers from the wire
 * strings, columns); test/domain/policies.reference.test.ts proves them equal to these, fill string for fill string,
 * on random sides (each written by its writer: the service's fast/fills.ts against fills.ts fillsToWire). This folder was test/domain/policies-reference.ts (a verbatim copy of the policies before the
 * scaled-integer paths, 678b2f2); it lives in src so the specification is read where the code is.
 */
export { cappedProRata } from "./capped-pro-rata";
export { leverageDraining } from "./leverage-draining";
export { proRata } from "./pro-rata";
export type { Policy, PolicyInput } from "./common";
