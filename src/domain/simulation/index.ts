/**
 * The stress lab (issue 12): a pure, deterministic simulator of a crash on a venue's own book. Entry points:
 * parseSimulation (request -> plan, limits checked), runPaths (paths [from, to) of a plan: the unit a Workflow step
 * runs), summarize (the exact aggregation). Plain data in, result out; no I/O, no clock; randomness is seeded per path.
 */
export { parseSimulation, type SimulationInput, type SimulationPlan } from "./request";
export { runPath, runPaths, type PathResult } from "./run";
export { summarize, type SimulationResult } from "./summary";
export * as limits from "./limits";
