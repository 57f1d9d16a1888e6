import type { EntityManager } from 'typeorm';

/** Live videos that succeeded in [start, end): what reconciliation compares the usage records with. */
export async function succeededLiveVideos(db: Pick<EntityManager, 'query'>, start: Date, end: Date): Promise<number> {
  const [row] = (await db.query(`SELECT count(*)::int AS n FROM videos WHERE status = 'succeeded' AND livemode AND completed_at >= $1 AND completed_at < $2`, [
    start,
    end,
  ])) as { n: number }[];
  return row!.n;
}
