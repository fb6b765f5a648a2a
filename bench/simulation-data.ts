/**
 * Books for the stress-lab benchmarks: n positions, both sides, entries within 0.5% of the mark, leverage 2x-50x skewed
 * toward low leverage (most accounts are not 50x), sizes 1-20 lots; deterministic (a fixed LCG seed).
 */
export function book(n: number, mark = 10_000, seed = 1) {
  let s = seed;
  const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const positions = [];
  for (let i = 0; i < n; i++) {
    const side = rnd() < 0.55 ? "long" : "short";
    const entry = Math.round(mark * (0.995 + rnd() * 0.01) * 2) / 2;
    const lev = 2 + Math.floor(48 * rnd() ** 3);
    const size = 1 + Math.floor(rnd() * 20);
    positions.push({ accountId: `acct-${i}`, side, size: String(size), entryPrice: String(entry), margin: ((size * entry) / lev).toFixed(2) });
  }
  return positions as { accountId: string; side: "long" | "short"; size: string; entryPrice: string; margin: string }[];
}

export const market = { contractType: "linear" as const, contractSize: "1", lotSize: "1", tickSize: "0.5", settlementAsset: "USDT", amountDecimals: 2 };
