/**
 * Which due deliveries may be sent side by side. One lane per (endpoint, market): a market's events reach an endpoint
 * one attempt at a time in event order (so `adl.activated` is attempted before the `adl.deactivated` that follows it,
 * and a batch's items in item order), while different markets' events, and different endpoints, are sent in
 * parallel, at most `MAX_PARALLEL_SENDS` at once. Before lanes one endpoint took one attempt at a time whatever the
 * market, so a burst from four markets queued behind each other (p50 4.97 s, README "Benchmarks").
 */

/**
 * Attempts in flight per hub alarm run. A Worker invocation keeps at most six connections open at once (Cloudflare's
 * documented limit on simultaneous open connections); more would queue inside the runtime, past the delivery timeout's
 * start.
 */
export const MAX_PARALLEL_SENDS = 6;

/** The lane key of a delivery: its endpoint and the market its event came from (none for test events). */
export function laneKey(endpointId: string, marketId: string | null): string {
  return `${endpointId}\u0000${marketId ?? ""}`;
}

/** Groups items into lanes by key, each lane in the items' order, lanes in order of their first item. */
export function lanes<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const lane = byKey.get(k);
    if (lane) lane.push(item);
    else byKey.set(k, [item]);
  }
  return [...byKey.values()];
}

/**
 * Runs every lane, each lane's items one after another, with at most `parallel` items in flight over all lanes: a
 * worker takes the next lane not yet started and runs it to its end.
 */
export async function runLanes<T>(all: readonly T[][], parallel: number, run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...all];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) for (const item of lane) await run(item);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, all.length) }, worker));
}
