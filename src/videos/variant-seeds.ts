import { randomInt } from 'node:crypto';

/**
 * Each variant's seed: the one asked for and the ones after it (wrapping at 2^32), so a group can
 * be made again; else the one drawn for the first and one drawn for each other. Null stays null (a
 * model that takes no seed).
 */
export function variantSeeds(first: number | null, asked: boolean, count: number): (number | null)[] {
  if (first === null) return Array(count).fill(null);
  if (asked) return Array.from({ length: count }, (_, i) => (first + i) % 2 ** 32);
  const seeds = new Set([first]);
  while (seeds.size < count) seeds.add(randomInt(0, 2 ** 32));
  return [...seeds];
}
