import { createHash } from 'node:crypto';

/**
 * The on-chain memo of a burn: a hash of the allocations it covers (ids and cents, no customer
 * data), so anyone holding our published ledger can tie the burn to it.
 */
export function allocationsHash(allocations: { allocationId: string; amountMinor: bigint | string }[]): string {
  const lines = allocations.map((a) => `${a.allocationId}:${a.amountMinor.toString()}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** A closed period a burn anchors on chain: its frozen statement's SHA-256 and its allocations' Merkle root (merkle.ts). */
export interface MemoAnchor {
  period: string;
  statementSha256: string;
  merkleRoot: string;
}

export interface ParsedMemo {
  version: 1 | 2;
  burnId: string;
  allocationsHash: string;
  anchor: MemoAnchor | null;
}

/** v1 (no anchor) is unchanged, so burns sent before periods existed still verify; v2 appends the anchor. */
export function memoText(burnId: string, hash: string, anchor: MemoAnchor | null = null): string {
  if (!anchor) return `leoma-burn:v1:${burnId}:${hash}`;
  return `leoma-burn:v2:${burnId}:${hash}:${anchor.period}:${anchor.statementSha256}:${anchor.merkleRoot}`;
}

const HEX = '[0-9a-f]{64}';
const V1 = new RegExp(`^leoma-burn:v1:([a-z]+_[0-9a-z]+):(${HEX})$`);
const V2 = new RegExp(`^leoma-burn:v2:([a-z]+_[0-9a-z]+):(${HEX}):(\\d{4}-(?:0[1-9]|1[0-2])):(${HEX}):(${HEX})$`);

/** Reads either version back; null for any other text. */
export function parseMemo(text: string): ParsedMemo | null {
  const v1 = V1.exec(text);
  if (v1) return { version: 1, burnId: v1[1]!, allocationsHash: v1[2]!, anchor: null };
  const v2 = V2.exec(text);
  if (!v2) return null;
  return { version: 2, burnId: v2[1]!, allocationsHash: v2[2]!, anchor: { period: v2[3]!, statementSha256: v2[4]!, merkleRoot: v2[5]! } };
}
