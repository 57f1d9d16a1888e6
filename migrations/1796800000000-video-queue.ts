import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Queue instead of 429: a video over the tenant's concurrency waits as a `queued` row not yet
 * dispatched (as batch items always have) until `start_by`, then ends `expired`. Plans say how
 * long a video may wait (`max_queue_seconds`), how many may wait (`max_queued_videos`) and a
 * batch's default completion window (`batch_complete_seconds`). A batch has a `complete_by` and
 * counts its `expired` items; the count trigger learns the new status.
 */
export class VideoQueue1796800000000 implements MigrationInterface {
  name = 'VideoQueue1796800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "plans" ADD "max_queue_seconds" integer NOT NULL DEFAULT 3600');
    await queryRunner.query('ALTER TABLE "plans" ADD "max_queued_videos" integer NOT NULL DEFAULT 1000');
    await queryRunner.query('ALTER TABLE "plans" ADD "batch_complete_seconds" integer NOT NULL DEFAULT 604800');
    await queryRunner.query(`UPDATE "plans" SET "max_queue_seconds" = 900, "max_queued_videos" = 20, "batch_complete_seconds" = 86400 WHERE "code" = 'free'`);
    await queryRunner.query(
      `UPDATE "plans" SET "max_queue_seconds" = 3600, "max_queued_videos" = 200, "batch_complete_seconds" = 259200 WHERE "code" = 'starter'`,
    );
    await queryRunner.query(`UPDATE "plans" SET "max_queue_seconds" = 21600, "max_queued_videos" = 2000 WHERE "code" = 'pro'`);
    await queryRunner.query(`UPDATE "plans" SET "max_queue_seconds" = 86400, "max_queued_videos" = 20000 WHERE "code" = 'enterprise'`);
    await queryRunner.query('ALTER TABLE "videos" ADD "start_by" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "batches" ADD "complete_by" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "batches" ADD "expired" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query(countsFunction(true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(countsFunction(false));
    await queryRunner.query('ALTER TABLE "batches" DROP COLUMN "expired"');
    await queryRunner.query('ALTER TABLE "batches" DROP COLUMN "complete_by"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "start_by"');
    await queryRunner.query('ALTER TABLE "plans" DROP COLUMN "batch_complete_seconds"');
    await queryRunner.query('ALTER TABLE "plans" DROP COLUMN "max_queued_videos"');
    await queryRunner.query('ALTER TABLE "plans" DROP COLUMN "max_queue_seconds"');
  }
}

/** The batch count trigger's function (migration 1795920881805), with or without the `expired` count. */
function countsFunction(expired: boolean): string {
  return `CREATE OR REPLACE FUNCTION batch_counts_follow_items() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH moved AS (
          SELECT o.batch_id, o.status AS was, n.status AS now, count(*)::int AS n
            FROM old_rows o JOIN new_rows n ON n.id = o.id
           WHERE o.batch_id IS NOT NULL AND o.status <> n.status
           GROUP BY 1, 2, 3
        ), delta AS (
          SELECT batch_id, s.status, sum(s.d)::int AS d
            FROM moved, LATERAL (VALUES (was, -n), (now, n)) AS s(status, d)
           GROUP BY 1, 2
        ), per_batch AS (
          SELECT batch_id,
                 coalesce(sum(d) FILTER (WHERE status = 'queued'), 0) AS queued,
                 coalesce(sum(d) FILTER (WHERE status = 'running'), 0) AS running,
                 coalesce(sum(d) FILTER (WHERE status = 'succeeded'), 0) AS succeeded,
                 coalesce(sum(d) FILTER (WHERE status = 'failed'), 0) AS failed,
                 coalesce(sum(d) FILTER (WHERE status = 'canceled'), 0) AS canceled${
                   expired
                     ? `,
                 coalesce(sum(d) FILTER (WHERE status = 'expired'), 0) AS expired`
                     : ''
                 }
            FROM delta GROUP BY 1
        )
        UPDATE batches b SET queued = b.queued + p.queued, running = b.running + p.running, succeeded = b.succeeded + p.succeeded,
               failed = b.failed + p.failed, canceled = b.canceled + p.canceled,${expired ? ' expired = b.expired + p.expired,' : ''} updated_at = now()
          FROM per_batch p WHERE b.id = p.batch_id;
        RETURN NULL;
      END $$`;
}
