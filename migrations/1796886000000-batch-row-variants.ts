import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Variants on batch rows (`n`): a row becomes up to four videos, so a batch's items are unique by
 * row and variant, not by row alone. The column has a default (the previous release's inserts
 * leave it out and get 0, as a row without `n` has), and the new unique index is built
 * concurrently, outside a transaction, before the old one goes.
 */
export class BatchRowVariants1796886000000 implements MigrationInterface {
  name = 'BatchRowVariants1796886000000';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" ADD COLUMN IF NOT EXISTS "variant_index" integer NOT NULL DEFAULT 0');
    await queryRunner.query(
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "IDX_videos_batch_row_variant" ON "videos" ("batch_id", "batch_index", "variant_index")',
    );
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "public"."IDX_abcfe9db7f813c356e534a1ed1"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "IDX_abcfe9db7f813c356e534a1ed1" ON "videos" ("batch_id", "batch_index")');
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "public"."IDX_videos_batch_row_variant"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "variant_index"');
  }
}
