import { createHash } from 'node:crypto';

/**
 * The Merkle tree over one closed period's allocations, whose root goes into a burn's on-chain
 * memo. SHA-256 throughout (what anyone can compute without chain libraries). Leaves and inner
 * nodes are domain-separated (0x00 / 0x01 prefix, as in RFC 6962) so a node can never pass for a
 * leaf; an odd node at the end of a level is promoted unchanged (not paired with itself, which
 * would let two different leaf lists share a root). Leaves are ordered by allocation id, which
 * sorts by creation time.
 */
export interface LeafFields {
  allocationId: string;
  /** The Stripe invoice id; only its hash enters the leaf, so the published tree names no invoice. */
  invoiceId: string | null;
  amountMinor: bigint | string;
  currency: string;
  policyVersion: number;
}

export interface ProofStep {
  /** Where the sibling sits: `left` means hash(sibling ‖ current). */
  side: 'left' | 'right';
  hash: string;
}

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest('hex');
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const sha256Hex = (text: string) => sha256(Buffer.from(text, 'utf8'));

/** The exact text a leaf hashes (after the 0x00 byte): documented in docs/treasury-runbook.md. */
export function leafText(f: LeafFields): string {
  return `leoma-allocation:v1|${f.allocationId}|${sha256Hex(f.invoiceId ?? '')}|${f.amountMinor.toString()}|${f.currency.toLowerCase()}|${f.policyVersion}`;
}

export function allocationLeaf(f: LeafFields): string {
  return sha256(LEAF, Buffer.from(leafText(f), 'utf8'));
}

const node = (left: string, right: string) => sha256(NODE, Buffer.from(left, 'hex'), Buffer.from(right, 'hex'));

function nextLevel(level: string[]): string[] {
  const up: string[] = [];
  for (let i = 0; i < level.length; i += 2) up.push(i + 1 < level.length ? node(level[i]!, level[i + 1]!) : level[i]!);
  return up;
}

/** The root of `leaves` (hex), in the order given; the empty tree's root is sha256 of nothing. */
export function merkleRoot(leaves: string[]): string {
  if (!leaves.length) return sha256(Buffer.alloc(0));
  let level = leaves;
  while (level.length > 1) level = nextLevel(level);
  return level[0]!;
}

/** The siblings from leaf `index` up to the root; a promoted odd node adds no step. */
export function merkleProof(leaves: string[], index: number): ProofStep[] {
  const steps: ProofStep[] = [];
  let level = leaves;
  let i = index;
  while (level.length > 1) {
    const sibling = i % 2 ? i - 1 : i + 1;
    if (sibling < level.length) steps.push({ side: i % 2 ? 'left' : 'right', hash: level[sibling]! });
    level = nextLevel(level);
    i = Math.floor(i / 2);
  }
  return steps;
}

export function rootFromProof(leaf: string, proof: ProofStep[]): string {
  return proof.reduce((acc, s) => (s.side === 'left' ? node(s.hash, acc) : node(acc, s.hash)), leaf);
}
