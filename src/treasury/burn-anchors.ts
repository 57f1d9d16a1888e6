import type { EntityManager } from 'typeorm';
import { BurnAnchor } from './burn-anchor.entity.js';
import type { MemoAnchor } from './burn-memo.js';
import { COMMITTED } from './burn.entity.js';

/**
 * The oldest closed period no burn carries yet (one that is planned, on its way or finalized): the
 * next burn puts it in its memo. A period whose burn failed or expired is carried by the next one.
 */
export async function nextAnchor(manager: EntityManager): Promise<MemoAnchor | null> {
  const [row] = (await manager.query(
    `SELECT p.period, p.statement_sha256 AS "statementSha256", p.merkle_root AS "merkleRoot" FROM treasury_periods p
      WHERE NOT EXISTS (SELECT 1 FROM treasury_burn_anchors x JOIN treasury_burns b ON b.id = x.burn_id WHERE x.period = p.period AND b.status = ANY($1))
      ORDER BY p.period LIMIT 1`,
    [COMMITTED],
  )) as MemoAnchor[];
  return row ?? null;
}

export async function anchorOf(manager: EntityManager, burnId: string): Promise<MemoAnchor | null> {
  const row = await manager.getRepository(BurnAnchor).findOneBy({ burnId });
  return row ? { period: row.period, statementSha256: row.statementSha256, merkleRoot: row.merkleRoot } : null;
}
