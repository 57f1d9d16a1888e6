import { createHash } from 'node:crypto';
import type { AuditEntry } from './audit-entry.entity.js';

export const GENESIS = '0'.repeat(64);

/** JSON with sorted keys: jsonb does not keep key order, and the hash must survive a round trip. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const body = canonical({
    id: e.id,
    chain: e.chain,
    seq: e.seq,
    tenant_id: e.tenantId,
    actor_type: e.actorType,
    actor_id: e.actorId,
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId,
    before: e.before,
    after: e.after,
    request_id: e.requestId,
    created_at: e.createdAt.toISOString(),
    prev_hash: e.prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}

/** Walks one chain in order; the first row whose link or hash does not match is where tampering starts. */
export function verifyChain(rows: AuditEntry[]): { ok: true; entries: number } | { ok: false; entries: number; broken_at: string; reason: string } {
  let prev = GENESIS;
  for (const [i, row] of rows.entries()) {
    if (row.seq !== i + 1) return { ok: false, entries: rows.length, broken_at: row.id, reason: 'sequence gap' };
    if (row.prevHash !== prev) return { ok: false, entries: rows.length, broken_at: row.id, reason: 'link to the previous entry does not match' };
    if (entryHash(row) !== row.hash) return { ok: false, entries: rows.length, broken_at: row.id, reason: 'content does not match its hash' };
    prev = row.hash;
  }
  return { ok: true, entries: rows.length };
}
