/**
 * Seeded randomness for Monte Carlo paths, counter-based: path `i` of a run draws from a generator whose state is a
 * hash of `(seed, i)` alone, so a path's numbers never depend on which other paths ran before it or on which worker
 * ran it (splitting paths over workers changes nothing, byte for byte).
 *
 * Generator: xoshiro128** (Blackman and Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 2021),
 * 32-bit arithmetic only (Math.imul), seeded by splitmix32 from a 32-bit FNV-1a hash of the seed text and the path
 * index. Variates: uniform on (0, 1) with 53 random bits, standard normal by the Box-Muller transform (both values
 * used, in order), Student-t scaled to unit variance (normal over sqrt(chi^2/nu) with chi^2 = 2*Gamma(nu/2), Gamma by
 * Marsaglia and Tsang 2000). Plain data in, numbers out; no clock, no global state.
 */

function fnv1a(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

export interface PathRandom {
  /** Uniform on the open interval (0, 1), 53 random bits. */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** Student-t with `nu` (> 2) degrees of freedom, scaled to variance 1. */
  studentT(nu: number): number;
}

/** The generator of path `pathIndex` of a run seeded with `seed`: a function of those two values only. */
export function pathRandom(seed: string, pathIndex: number): PathRandom {
  const init = splitmix32(fnv1a(`${pathIndex}`, fnv1a(seed)) ^ Math.imul(pathIndex + 1, 0x27d4eb2d));
  let a = init(), b = init(), c = init(), d = init();
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is the one xoshiro cannot leave
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a; d ^= b; b ^= c; a ^= d;
    c ^= t;
    d = rotl(d, 11);
    a >>>= 0; b >>>= 0; c >>>= 0;
    return result;
  };
  const uniform = (): number => {
    for (;;) {
      const u = ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
      if (u > 0) return u; // (0, 1): log(u) below must be finite
    }
  };
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const theta = 2 * Math.PI * uniform();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  const gamma = (shape: number): number => {
    // Marsaglia-Tsang for shape >= 1; shape < 1 by the boost Gamma(a) = Gamma(a+1) * U^(1/a).
    if (shape < 1) return gamma(shape + 1) * Math.pow(uniform(), 1 / shape);
    const dd = shape - 1 / 3;
    const cc = 1 / Math.sqrt(9 * dd);
    for (;;) {
      let x: number, v: number;
      do {
        x = normal();
        v = 1 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const u = uniform();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return dd * v;
    }
  };
  const studentT = (nu: number): number => {
    const z = normal();
    const chi2 = 2 * gamma(nu / 2);
    return (z / Math.sqrt(chi2 / nu)) * Math.sqrt((nu - 2) / nu);
  };
  return { uniform, normal, studentT };
}
