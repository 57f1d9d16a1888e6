import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { entryHash, GENESIS, verifyChain } from '../../src/audit/audit-chain.js';
import type { AuditEntry } from '../../src/audit/audit-entry.entity.js';

const json = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 4 });

function chain(changes: { action: string; after: Record<string, unknown> }[]): AuditEntry[] {
  const rows: AuditEntry[] = [];
  for (const [i, c] of changes.entries()) {
    const row = {
      id: `aud_${i}`,
      chain: 'ten_1',
      seq: i + 1,
      tenantId: 'ten_1',
      actorType: 'operator' as const,
      actorId: 'op_1',
      action: c.action,
      targetType: 'tenant',
      targetId: 'ten_1',
      before: null,
      after: c.after,
      requestId: `req_${i}`,
      prevHash: rows.at(-1)?.hash ?? GENESIS,
      createdAt: new Date(1_800_000_000_000 + i),
    };
    rows.push({ ...row, hash: entryHash(row) });
  }
  return rows;
}

describe('the audit hash chain', () => {
  it('verifies an untouched chain, whatever key order jsonb gives back', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ action: fc.string(), after: json }), { minLength: 1, maxLength: 8 }), (changes) => {
        const rows = chain(changes).map((r) => ({ ...r, after: r.after && Object.fromEntries(Object.entries(r.after).reverse()) }));
        expect(verifyChain(rows)).toEqual({ ok: true, entries: rows.length });
      }),
    );
  });

  it('names the first entry after any edit or removal; removing the newest leaves a valid, shorter chain', () => {
    const changes = fc.array(fc.record({ action: fc.string(), after: json }), { minLength: 2, maxLength: 8 });
    fc.assert(
      fc.property(changes, fc.nat(), fc.string({ minLength: 1 }), (cs, at, text) => {
        const rows = chain(cs);
        const i = at % rows.length;
        const edited = rows.map((r, j) => (j === i ? { ...r, action: r.action + text } : r));
        expect(verifyChain(edited)).toMatchObject({ ok: false, broken_at: rows[i].id });
        const removed = rows.filter((_, j) => j !== i);
        expect(verifyChain(removed).ok).toBe(i === rows.length - 1);
      }),
    );
  });
});
