import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { allocationLeaf, merkleProof, merkleRoot, rootFromProof, type LeafFields } from '../../src/treasury/merkle.js';

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest('hex');
const leaf = (i: number): LeafFields => ({
  allocationId: `alc_${String(i).padStart(3, '0')}`,
  invoiceId: `in_${i}`,
  amountMinor: BigInt(i * 100 - 50),
  currency: i % 2 ? 'usd' : 'eur',
  policyVersion: 1 + (i % 3),
});

describe('the allocations Merkle tree', () => {
  it('hashes a leaf as sha256(0x00 ‖ fields), the invoice id itself hashed, and a node as sha256(0x01 ‖ left ‖ right)', () => {
    const f = leaf(1);
    const text = `leoma-allocation:v1|${f.allocationId}|${sha(Buffer.from('in_1'))}|50|usd|2`;
    expect(allocationLeaf(f)).toBe(sha(Buffer.from([0]), Buffer.from(text)));
    const a = allocationLeaf(leaf(1));
    const b = allocationLeaf(leaf(2));
    expect(merkleRoot([a, b])).toBe(sha(Buffer.from([1]), Buffer.from(a, 'hex'), Buffer.from(b, 'hex')));
  });

  it('promotes the odd node of a level unchanged, and the empty tree has the hash of nothing', () => {
    const [a, b, c] = [1, 2, 3].map((i) => allocationLeaf(leaf(i)));
    const ab = sha(Buffer.from([1]), Buffer.from(a!, 'hex'), Buffer.from(b!, 'hex'));
    expect(merkleRoot([a!, b!, c!])).toBe(sha(Buffer.from([1]), Buffer.from(ab, 'hex'), Buffer.from(c!, 'hex')));
    expect(merkleRoot([a!])).toBe(a);
    expect(merkleRoot([])).toBe(sha(Buffer.alloc(0)));
  });

  it('proves every leaf of trees of 1 to 33 leaves, and refuses a changed amount, currency, policy version or path', () => {
    for (let n = 1; n <= 33; n++) {
      const leaves = Array.from({ length: n }, (_, i) => allocationLeaf(leaf(i)));
      const root = merkleRoot(leaves);
      for (let i = 0; i < n; i++) {
        const proof = merkleProof(leaves, i);
        expect(rootFromProof(leaves[i]!, proof)).toBe(root);
        const f = leaf(i);
        expect(rootFromProof(allocationLeaf({ ...f, amountMinor: BigInt(f.amountMinor) + 1n }), proof)).not.toBe(root);
        expect(rootFromProof(allocationLeaf({ ...f, currency: f.currency === 'usd' ? 'eur' : 'usd' }), proof)).not.toBe(root);
        expect(rootFromProof(allocationLeaf({ ...f, policyVersion: f.policyVersion + 1 }), proof)).not.toBe(root);
        if (proof.length)
          expect(rootFromProof(leaves[i]!, [{ ...proof[0]!, side: proof[0]!.side === 'left' ? 'right' : 'left' }, ...proof.slice(1)])).not.toBe(root);
      }
    }
  });
});
