/** Deterministic position batches for the benchmarks (a fixed LCG, so every run measures the same body). */
export function makePositions(n: number, seed = 1): { accountId: string; side: "long" | "short"; size: string; entryPrice: string; margin: string }[] {
  let x = seed >>> 0;
  const rnd = () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  const out = [];
  for (let i = 0; i < n; i++) {
    const size = (1 + Math.floor(rnd() * 5000)) / 1000;
    // Entries within +-10% of the 20,000 mark, leverage 1..50x: a live book, a few positions past bankruptcy.
    const entry = (18000 + Math.floor(rnd() * 40000) / 10).toFixed(1);
    const lev = 1 + Math.floor(rnd() * 50);
    const margin = ((size * Number(entry)) / lev).toFixed(6);
    out.push({ accountId: `acct-${i.toString(36)}`, side: (rnd() < 0.5 ? "long" : "short") as "long" | "short", size: size.toFixed(3), entryPrice: entry, margin });
  }
  return out;
}

export const MARKET = { contractType: "linear" as const, contractSize: "1", lotSize: "0.001", tickSize: "0.1" };
