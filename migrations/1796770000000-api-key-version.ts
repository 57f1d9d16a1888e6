import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 37 item 4: every key is pinned to a dated API version. Keys made before versions existed
 * (and keys the previous release still inserts) get the first version, which answers as the API
 * always did; the service pins new keys to the newest.
 */
export class ApiKeyVersion1796770000000 implements MigrationInterface {
  name = 'ApiKeyVersion1796770000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "api_version" text NOT NULL DEFAULT '2026-06-01'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "api_version"`);
  }
}
