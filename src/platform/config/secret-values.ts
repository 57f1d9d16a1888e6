/**
 * The configured secrets themselves (the treasury seed, Stripe's keys, the hash secret…), so the
 * log scrubber can cut them out wherever they appear, whatever the field or the wording: a
 * pattern recognises a Stripe key, but not a twelve-word seed quoted in an error message.
 * Filled by defineEnv from the fields each module marks as secrets.
 */
const values = new Set<string>();

/** Shorter values are left out: they would match ordinary words and cut them out of every line. */
const MIN_LENGTH = 8;

export function registerSecretValue(value: unknown): void {
  if (typeof value === 'string' && value.length >= MIN_LENGTH) values.add(value);
}

export function secretValues(): ReadonlySet<string> {
  return values;
}
