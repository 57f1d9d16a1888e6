import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutputsRetentionModeration1795921000002 implements MigrationInterface {
  name = 'OutputsRetentionModeration1795921000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "moderation_events" ("id" text NOT NULL, "tenant_id" text NOT NULL, "api_key_id" text, "category" text NOT NULL, "source" text NOT NULL, "rule" text, "prompt" text NOT NULL, "request_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_723937fdc5b9485fb3a7b16b903" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_86874f58ad81c3d4aaaf8e9032" ON "moderation_events"  ("tenant_id", "id") ');
    await queryRunner.query(
      'CREATE TABLE "tenant_moderation_settings" ("tenant_id" text NOT NULL, "blocklist" jsonb NOT NULL DEFAULT \'{}\', "provider_enabled" boolean, "fail_mode" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6284e359e0b9e4099d24c5c8caa" PRIMARY KEY ("tenant_id"))',
    );
    await queryRunner.query('ALTER TABLE "files" ADD "expired_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "files" ADD "deleted_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "videos" ADD "expired_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "videos" ADD "deleted_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('CREATE INDEX "IDX_files_retention_due" ON "files"  ("created_at") WHERE expired_at IS NULL AND deleted_at IS NULL');
    await queryRunner.query('CREATE INDEX "IDX_videos_retention_due" ON "videos"  ("created_at") WHERE expired_at IS NULL AND deleted_at IS NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_videos_retention_due"');
    await queryRunner.query('DROP INDEX "public"."IDX_files_retention_due"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "deleted_at"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "expired_at"');
    await queryRunner.query('ALTER TABLE "files" DROP COLUMN "deleted_at"');
    await queryRunner.query('ALTER TABLE "files" DROP COLUMN "expired_at"');
    await queryRunner.query('DROP TABLE "tenant_moderation_settings"');
    await queryRunner.query('DROP INDEX "public"."IDX_86874f58ad81c3d4aaaf8e9032"');
    await queryRunner.query('DROP TABLE "moderation_events"');
  }
}
