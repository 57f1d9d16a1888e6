import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Variants (`n` in a video request): the videos of one request share a `group_id`, listed by it.
 * A nullable column (the previous release never writes it), and its index built concurrently,
 * outside a transaction, so writes to videos go on while it builds.
 */
export class VideoGroups1796820000000 implements MigrationInterface {
  name = 'VideoGroups1796820000000';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" ADD COLUMN IF NOT EXISTS "group_id" text');
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "IDX_videos_group" ON "videos" ("tenant_id", "group_id") WHERE "group_id" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "public"."IDX_videos_group"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "group_id"');
  }
}
