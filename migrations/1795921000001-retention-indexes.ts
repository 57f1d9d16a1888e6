import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The retention purge deletes oldest first by created_at. */
export class RetentionIndexes1795921000001 implements MigrationInterface {
  name = 'RetentionIndexes1795921000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "IDX_7ebab07668bb225b6a04782a7d" ON "events"  ("created_at") ');
    await queryRunner.query('CREATE INDEX "IDX_04fa926c32b43d66134e059d76" ON "webhook_deliveries"  ("created_at") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_04fa926c32b43d66134e059d76"');
    await queryRunner.query('DROP INDEX "public"."IDX_7ebab07668bb225b6a04782a7d"');
  }
}
