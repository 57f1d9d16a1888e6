import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 32: where the API was reached when a batch was created, the origin of its manifest's
 * links in a destination when PUBLIC_BASE_URL is unset. Nullable: the previous release never
 * reads it, and its batches (null) keep relative links.
 */
export class BatchApiOrigin1796887000000 implements MigrationInterface {
  name = 'BatchApiOrigin1796887000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "batches" ADD "api_origin" text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "batches" DROP COLUMN "api_origin"');
  }
}
