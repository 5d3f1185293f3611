/**
 * A tiny deterministic random source for fault schedules: the same seed yields the same
 * sequence on every machine, so a failing chaos run replays exactly from its seed.
 * Quality is that of mulberry32 (32-bit state): plenty for picking victims and delays,
 * not for anything cryptographic.
 */

/**
 * Returns a generator of floats in [0, 1) determined entirely by `seed`.
 *
 * @param seed any safe integer; only its low 32 bits matter.
 * @throws Error when `seed` is not a safe integer (a NaN seed would silently repeat).
 */
export function seededRandom(seed: number): () => number {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
  let current = seed >>> 0;
  return () => {
    current = (current + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(current ^ (current >>> 15), current | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An integer in [min, max] (both inclusive) drawn from `random`. */
export function randomIntBetween(random: () => number, min: number, max: number): number {
  if (!(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max)) {
    throw new Error(`need integers min ≤ max, got [${min}, ${max}]`);
  }
  return min + Math.floor(random() * (max - min + 1));
}
