import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The queue's reads: a tenant's waiting videos in fair order (the dispatcher, queue positions, the
 * queue cap) with its videos dispatched since the oldest of them was submitted, and the waiting videos whose `start_by` has passed (the expiry sweep). Built
 * concurrently, so writes to `videos` go on meanwhile.
 */
export class VideoQueueIndexes1796800000001 implements MigrationInterface {
  name = 'VideoQueueIndexes1796800000001';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "IDX_videos_waiting" ON "videos" ("tenant_id", "livemode", "id") WHERE "status" = 'queued' AND "dispatched_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "IDX_videos_dispatched" ON "videos" ("tenant_id", "livemode", "dispatched_at") WHERE "dispatched_at" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "IDX_videos_start_by" ON "videos" ("start_by") WHERE "status" = 'queued' AND "dispatched_at" IS NULL AND "start_by" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "public"."IDX_videos_start_by"');
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "public"."IDX_videos_dispatched"');
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "public"."IDX_videos_waiting"');
  }
}
