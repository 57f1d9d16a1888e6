import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Uploads as plan limits (per day and per calendar month, enterprise high) instead of one global
 * setting, and presigned uploads: a file row exists from the moment its upload URL is handed out
 * (`pending`, until `upload_expires_at`) and becomes `ready` once the API has checked what was put.
 * Every existing file was checked when it was uploaded, so it is `ready`.
 */
export class CatalogueUploads1796710000000 implements MigrationInterface {
  name = 'CatalogueUploads1796710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "plans" ADD "uploads_per_day" integer NOT NULL DEFAULT 1000');
    await queryRunner.query('ALTER TABLE "plans" ADD "uploads_per_month" integer NOT NULL DEFAULT 20000');
    await queryRunner.query(`UPDATE "plans" SET "uploads_per_day" = 100, "uploads_per_month" = 1000 WHERE "code" = 'free'`);
    await queryRunner.query(`UPDATE "plans" SET "uploads_per_day" = 2000, "uploads_per_month" = 20000 WHERE "code" = 'starter'`);
    await queryRunner.query(`UPDATE "plans" SET "uploads_per_day" = 20000, "uploads_per_month" = 200000 WHERE "code" = 'pro'`);
    await queryRunner.query(`UPDATE "plans" SET "uploads_per_day" = 200000, "uploads_per_month" = 2000000 WHERE "code" = 'enterprise'`);
    await queryRunner.query(`ALTER TABLE "files" ADD "status" text NOT NULL DEFAULT 'ready'`);
    await queryRunner.query('ALTER TABLE "files" ADD "upload_expires_at" TIMESTAMP WITH TIME ZONE');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "files" DROP COLUMN "upload_expires_at"');
    await queryRunner.query('ALTER TABLE "files" DROP COLUMN "status"');
    await queryRunner.query('ALTER TABLE "plans" DROP COLUMN "uploads_per_month"');
    await queryRunner.query('ALTER TABLE "plans" DROP COLUMN "uploads_per_day"');
  }
}
