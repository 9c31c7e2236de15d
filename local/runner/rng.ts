/**
 * A seeded PRNG (pure-rand's xoroshiro128+). pure-rand only exposes subpath exports, which this
 * project's `moduleResolution: node` cannot type, so the two functions used are typed here.
 */

/** The slice of pure-rand's RandomGenerator used here. */
interface RandomGenerator {
  next(): number;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const { xoroshiro128plus } = require('pure-rand/generator/xoroshiro128plus') as {
  xoroshiro128plus(seed: number): RandomGenerator;
};
const { uniformInt } = require('pure-rand/distribution/uniformInt') as {
  uniformInt(rng: RandomGenerator, from: number, to: number): number;
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface Rng {
  /** An integer in [from, to], both included. */
  int(from: number, to: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One of `items`, weighted by `weights` (same length). */
  pick<T>(items: readonly T[], weights: readonly number[]): T;
}

const RESOLUTION = 1_000_000;

export function createRng(seed: number): Rng {
  const gen = xoroshiro128plus(seed);
  const int = (from: number, to: number): number => uniformInt(gen, from, to);
  return {
    int,
    chance: (p) => int(0, RESOLUTION - 1) < p * RESOLUTION,
    pick: <T>(items: readonly T[], weights: readonly number[]): T => {
      const total = weights.reduce((a, b) => a + b, 0);
      let roll = (int(0, RESOLUTION - 1) / RESOLUTION) * total;
      for (let i = 0; i < items.length; i++) {
        roll -= weights[i] ?? 0;
        if (roll < 0) return items[i] as T;
      }
      return items[items.length - 1] as T;
    },
  };
}

/** A 32-bit seed derived from a base seed and a label (e.g. a day), so each day is independent. */
export function deriveSeed(seed: number, label: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h | 0;
}
