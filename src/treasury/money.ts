/**
 * Treasury money is integer minor units of one currency (ISO 4217, lower case as Stripe writes it).
 * Two currencies are never added together: every fiat figure the treasury reports or compares is
 * per currency, and TAO (RAO) is the only unit summed across them.
 */
export const CURRENCY = /^[a-z]{3}$/;

/** Per-currency figures, in a stable order (by currency code). */
export function byCurrency<T extends { currency: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** `currency` per TAO as an integer scaled by 1e9, from decimal text. */
export function scaledRate(rate: string): bigint {
  const [whole, frac = ''] = rate.split('.');
  return BigInt(whole!) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'));
}

/** What `rao` costs at `rate` (currency per TAO, decimal text), in minor units (2 decimals). */
export function fiatAt(rao: bigint, rate: string): bigint {
  return (rao * scaledRate(rate) * 100n) / 1_000_000_000_000_000_000n;
}
