import { createHash } from 'node:crypto';

/**
 * The on-chain memo of a burn: a hash of the allocations it covers (ids and cents, no customer
 * data), so anyone holding our published ledger can tie the burn to it.
 */
export function allocationsHash(allocations: { allocationId: string; amountMinor: bigint | string }[]): string {
  const lines = allocations.map((a) => `${a.allocationId}:${a.amountMinor.toString()}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export function memoText(burnId: string, hash: string): string {
  return `leoma-burn:v1:${burnId}:${hash}`;
}
