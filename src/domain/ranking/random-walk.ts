/**
 * `random` method (dYdX v4 `deleveraging.go`): no ranking by score. Holders of the side are put in a canonical order
 * (accountId ascending by UTF-16 code units, so batch order does not matter), a pseudo-random start is drawn from
 * the caller's seed, and the walk goes cyclically from there. The seed makes it deterministic and replayable.
 * start = FNV-1a-32(UTF-8 of `${seed}|${side}`) mod n.
 */
import type { Side } from "../types";

export function fnv1a32(text: string): number {
  const bytes = new TextEncoder().encode(text);
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function randomWalkOrder(indices: readonly number[], accountIdOf: (i: number) => string, seed: string, side: Side): number[] {
  const canonical = indices.slice().sort((a, b) => {
    const x = accountIdOf(a);
    const y = accountIdOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const n = canonical.length;
  if (n === 0) return canonical;
  const start = fnv1a32(`${seed}|${side}`) % n;
  return canonical.slice(start).concat(canonical.slice(0, start));
}
