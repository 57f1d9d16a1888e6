import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batches, their items as `videos` rows, and the trigger that keeps a batch's counts: one
 * statement-level trigger with transition tables, so a bulk cancel of 50,000 items moves the
 * counts once, in the same statement, and the counts always sum to `total`.
 */
export class Batches1795920881805 implements MigrationInterface {
  name = 'Batches1795920881805';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "batches" ("id" text NOT NULL, "tenant_id" text NOT NULL, "api_key_id" text, "livemode" boolean NOT NULL DEFAULT true, "status" text NOT NULL,
      "total" integer NOT NULL DEFAULT '0', "queued" integer NOT NULL DEFAULT '0', "running" integer NOT NULL DEFAULT '0', "succeeded" integer NOT NULL DEFAULT '0', "failed" integer NOT NULL DEFAULT '0', "canceled" integer NOT NULL DEFAULT '0',
      "metadata" jsonb NOT NULL DEFAULT '{}', "on_invalid" text NOT NULL, "rejected_rows" jsonb NOT NULL DEFAULT '[]', "input" jsonb NOT NULL, "limits" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "in_progress_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "canceled_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_55e7ff646e969b61d37eea5be7a" PRIMARY KEY ("id"))`);
    await queryRunner.query('CREATE INDEX "IDX_49be078061accd700de643fe77" ON "batches" ("status", "id")');
    await queryRunner.query('CREATE INDEX "IDX_c9f85e62ec63d990c572c6c66c" ON "batches" ("tenant_id", "id")');
    await queryRunner.query('ALTER TABLE "videos" ADD "batch_id" text');
    await queryRunner.query('ALTER TABLE "videos" ADD "batch_index" integer');
    await queryRunner.query('ALTER TABLE "videos" ADD "custom_id" text');
    await queryRunner.query('ALTER TABLE "videos" ADD "dispatched_at" TIMESTAMP WITH TIME ZONE');
    // Every video before batches was enqueued at creation; the stale sweep re-enqueues only dispatched rows.
    await queryRunner.query('UPDATE "videos" SET "dispatched_at" = "created_at"');
    await queryRunner.query(
      `CREATE INDEX "IDX_videos_batch_undispatched" ON "videos" ("batch_id", "batch_index") WHERE "status" = 'queued' AND "dispatched_at" IS NULL AND "batch_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_videos_batch_handed_over" ON "videos" ("tenant_id") WHERE "status" = 'queued' AND "dispatched_at" IS NOT NULL AND "batch_id" IS NOT NULL`,
    );
    await queryRunner.query('CREATE INDEX "IDX_963cde75709a937df13f3b66d7" ON "videos" ("batch_id", "id")');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_abcfe9db7f813c356e534a1ed1" ON "videos" ("batch_id", "batch_index")');
    await queryRunner.query(`CREATE FUNCTION batch_counts_follow_items() RETURNS trigger LANGUAGE plpgsql AS $$
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
                 coalesce(sum(d) FILTER (WHERE status = 'canceled'), 0) AS canceled
            FROM delta GROUP BY 1
        )
        UPDATE batches b SET queued = b.queued + p.queued, running = b.running + p.running, succeeded = b.succeeded + p.succeeded,
               failed = b.failed + p.failed, canceled = b.canceled + p.canceled, updated_at = now()
          FROM per_batch p WHERE b.id = p.batch_id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      'CREATE TRIGGER videos_batch_counts AFTER UPDATE ON videos REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION batch_counts_follow_items()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER videos_batch_counts ON videos');
    await queryRunner.query('DROP FUNCTION batch_counts_follow_items()');
    await queryRunner.query('DROP INDEX "public"."IDX_abcfe9db7f813c356e534a1ed1"');
    await queryRunner.query('DROP INDEX "public"."IDX_963cde75709a937df13f3b66d7"');
    await queryRunner.query('DROP INDEX "public"."IDX_videos_batch_handed_over"');
    await queryRunner.query('DROP INDEX "public"."IDX_videos_batch_undispatched"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "dispatched_at"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "custom_id"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "batch_index"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "batch_id"');
    await queryRunner.query('DROP INDEX "public"."IDX_c9f85e62ec63d990c572c6c66c"');
    await queryRunner.query('DROP INDEX "public"."IDX_49be078061accd700de643fe77"');
    await queryRunner.query('DROP TABLE "batches"');
  }
}
