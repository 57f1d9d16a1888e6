import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch's manifest is written to its destination when it ends: the outbox state on the batch's
 * row. Nullable columns (and one with a default) the previous release never reads, and the due
 * index built concurrently, outside a transaction, so writes to batches go on while it builds.
 */
export class BatchManifestDelivery1796880000000 implements MigrationInterface {
  name = 'BatchManifestDelivery1796880000000';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "batches" ADD COLUMN IF NOT EXISTS "manifest_status" text, ADD COLUMN IF NOT EXISTS "manifest_key" text,
        ADD COLUMN IF NOT EXISTS "manifest_attempts" integer NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS "manifest_error" text,
        ADD COLUMN IF NOT EXISTS "manifest_next_attempt_at" TIMESTAMP WITH TIME ZONE, ADD COLUMN IF NOT EXISTS "manifest_delivered_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS "IDX_batches_manifest_due" ON "batches" ("manifest_next_attempt_at") WHERE "manifest_status" = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "public"."IDX_batches_manifest_due"');
    await queryRunner.query(
      'ALTER TABLE "batches" DROP COLUMN "manifest_delivered_at", DROP COLUMN "manifest_next_attempt_at", DROP COLUMN "manifest_error", DROP COLUMN "manifest_attempts", DROP COLUMN "manifest_key", DROP COLUMN "manifest_status"',
    );
  }
}
