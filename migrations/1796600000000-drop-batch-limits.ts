import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * batches.limits held the creating key's limits as they were when the batch was made, and nothing
 * ever read it: the scheduler applies the limits as they are at hand-over (batches/batch-owner.ts).
 */
export class DropBatchLimits1796600000000 implements MigrationInterface {
  name = 'DropBatchLimits1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "batches" DROP COLUMN "limits"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "batches" ADD "limits" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query('ALTER TABLE "batches" ALTER COLUMN "limits" DROP DEFAULT');
  }
}
