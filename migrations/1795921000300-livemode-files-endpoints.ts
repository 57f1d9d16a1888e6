import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files and webhook endpoints belong to one mode, like videos, batches and events. Rows made
 * before the split have no recorded mode and stay live.
 */
export class LivemodeFilesEndpoints1795921000300 implements MigrationInterface {
  name = 'LivemodeFilesEndpoints1795921000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "files" ADD "livemode" boolean NOT NULL DEFAULT true');
    await queryRunner.query('ALTER TABLE "webhook_endpoints" ADD "livemode" boolean NOT NULL DEFAULT true');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "webhook_endpoints" DROP COLUMN "livemode"');
    await queryRunner.query('ALTER TABLE "files" DROP COLUMN "livemode"');
  }
}
