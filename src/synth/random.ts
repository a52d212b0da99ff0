/**
 * Seeded, deterministic pseudo-random numbers for synthetic signals: mulberry32 for uniforms
 * and the Box-Muller transform for normals. Same seed → same sequence on every machine
 * (integer arithmetic via `Math.imul`, no `Math.random`).
 *
 * mulberry32 (Tommy Ettinger, public domain) has a 32-bit state and period 2^32: plenty for
 * fixtures of a few million draws, not for cryptography or long Monte-Carlo runs.
 */

/** Generator state, updated in place by the draw functions. */
export interface Rng {
  /** mulberry32 state, a 32-bit integer. */
  state: number;
  /** Second normal from the last Box-Muller pair, used by the next `nextNormal`. */
  spareNormal: number;
  hasSpareNormal: boolean;
}

/**
 * Create a generator.
 * @param seed any integer; only its low 32 bits are used
 * @example const rng = createRng(42); nextUniform(rng) → 0.6011037519201636
 */
export function createRng(seed: number): Rng {
  return { state: seed | 0, spareNormal: 0, hasSpareNormal: false };
}

/**
 * Derive an independent seed for sub-stream `stream` of `seed` (murmur3's 32-bit finaliser), so
 * that drawing more numbers from one stream never shifts another.
 * @example deriveSeed(42, 0) !== deriveSeed(42, 1)
 */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Next uniform number in [0, 1), a multiple of 2^-32. O(1).
 */
export function nextUniform(rng: Rng): number {
  rng.state = (rng.state + 0x6d2b79f5) | 0;
  let t = rng.state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * The same generator as a function returning the next uniform in [0, 1) (mulberry32).
 * @example const random = uniformSource(1); random() → the first draw of createRng(1)
 */
export function uniformSource(seed: number): () => number {
  const rng = createRng(seed);
  return () => nextUniform(rng);
}

/**
 * Next standard normal number (mean 0, standard deviation 1) by Box-Muller:
 * n0 = √(−2 ln u1)·cos(2π u2), n1 = √(−2 ln u1)·sin(2π u2), u1 ∈ (0, 1], u2 ∈ [0, 1).
 * Draws two uniforms every second call. O(1).
 */
export function nextNormal(rng: Rng): number {
  if (rng.hasSpareNormal) {
    rng.hasSpareNormal = false;
    return rng.spareNormal;
  }
  const u1 = 1 - nextUniform(rng);
  const u2 = nextUniform(rng);
  const radius = Math.sqrt(-2 * Math.log(u1));
  const angle = 2 * Math.PI * u2;
  rng.spareNormal = radius * Math.sin(angle);
  rng.hasSpareNormal = true;
  return radius * Math.cos(angle);
}
