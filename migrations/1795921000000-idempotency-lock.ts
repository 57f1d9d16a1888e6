import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyLock1795921000000 implements MigrationInterface {
  name = 'IdempotencyLock1795921000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "idempotency_keys" ADD "locked_until" TIMESTAMP WITH TIME ZONE');
    // Requests that were running at the upgrade get the default lock time from their start.
    await queryRunner.query(`UPDATE "idempotency_keys" SET "locked_until" = "created_at" + interval '60 seconds' WHERE "state" = 'in_progress'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "idempotency_keys" DROP COLUMN "locked_until"');
  }
}
