import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GpuBackendsAndProvenance1795349393804 implements MigrationInterface {
  name = 'GpuBackendsAndProvenance1795349393804';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "backends" ("id" text NOT NULL, "name" text NOT NULL, "url" text NOT NULL, "protocol" text NOT NULL, "model" text NOT NULL, "model_revision" text, "max_concurrency" integer NOT NULL, "auth_header" text, "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b76ab7f27f18d38acadfd7bcbc6" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('ALTER TABLE "videos" ADD "provenance" jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "provenance"');
    await queryRunner.query('DROP TABLE "backends"');
  }
}
