import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795348805559 implements MigrationInterface {
  name = 'Initial1795348805559';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "tenants" ("id" text NOT NULL, "name" text NOT NULL, "status" text NOT NULL DEFAULT \'active\', "plan" text NOT NULL DEFAULT \'free\', "metadata" jsonb NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_53be67a04681c66b87ee27c9321" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "api_keys" ("id" text NOT NULL, "tenant_id" text NOT NULL, "name" text NOT NULL DEFAULT \'\', "mode" text NOT NULL, "secret_hash" text NOT NULL, "secret_start" text NOT NULL, "scopes" text array NOT NULL DEFAULT \'{}\', "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_3ac18429c8d27858d79432e0dd" ON "api_keys"  ("tenant_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_fef9aa4a1cf4f8c063ac5d75f2" ON "api_keys"  ("secret_hash") ');
    await queryRunner.query(
      'CREATE TABLE "idempotency_keys" ("owner" text NOT NULL, "key" text NOT NULL, "request_hash" text NOT NULL, "method" text NOT NULL, "path" text NOT NULL, "state" text NOT NULL, "response_status" integer, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f796aec32cfd80b443f883257a6" PRIMARY KEY ("owner", "key"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_5e72f040fdc5efc8eef52a388c" ON "idempotency_keys"  ("created_at") ');
    await queryRunner.query(
      'CREATE TABLE "files" ("id" text NOT NULL, "tenant_id" text NOT NULL, "purpose" text NOT NULL, "content_type" text NOT NULL, "filename" text, "bytes" integer NOT NULL, "width" integer NOT NULL, "height" integer NOT NULL, "sha256" text NOT NULL, "storage_key" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6c16b9093a142e0e7613b04a3d9" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_6e760c24b0569ef7d802e9a413" ON "files"  ("tenant_id", "id") ');
    await queryRunner.query(
      'CREATE TABLE "videos" ("id" text NOT NULL, "tenant_id" text NOT NULL, "api_key_id" text, "livemode" boolean NOT NULL DEFAULT true, "status" text NOT NULL, "prompt" text NOT NULL, "duration_seconds" integer NOT NULL, "resolution" text NOT NULL, "aspect_ratio" text NOT NULL, "fps" integer NOT NULL, "seed" bigint, "camera" text, "metadata" jsonb NOT NULL DEFAULT \'{}\', "input" jsonb NOT NULL, "output" jsonb, "error_code" text, "error_message" text, "attempts" integer NOT NULL DEFAULT \'0\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e4c86c0cf95aff16e9fb8220f6b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_46770281f40297253b0d9436f9" ON "videos"  ("tenant_id", "status", "id") ');
    await queryRunner.query('CREATE INDEX "IDX_dfa196db3edf00c03a7f42c88a" ON "videos"  ("tenant_id", "id") ');
    await queryRunner.query(
      'CREATE TABLE "usage_records" ("video_id" text NOT NULL, "tenant_id" text NOT NULL, "video_seconds" integer NOT NULL, "livemode" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cd2e9d6285ceb7a5d0491f5db31" PRIMARY KEY ("video_id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_46d3ccfe6a2e9bc433a2b0376a" ON "usage_records"  ("tenant_id", "created_at") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_46d3ccfe6a2e9bc433a2b0376a"');
    await queryRunner.query('DROP TABLE "usage_records"');
    await queryRunner.query('DROP INDEX "public"."IDX_dfa196db3edf00c03a7f42c88a"');
    await queryRunner.query('DROP INDEX "public"."IDX_46770281f40297253b0d9436f9"');
    await queryRunner.query('DROP TABLE "videos"');
    await queryRunner.query('DROP INDEX "public"."IDX_6e760c24b0569ef7d802e9a413"');
    await queryRunner.query('DROP TABLE "files"');
    await queryRunner.query('DROP INDEX "public"."IDX_5e72f040fdc5efc8eef52a388c"');
    await queryRunner.query('DROP TABLE "idempotency_keys"');
    await queryRunner.query('DROP INDEX "public"."IDX_fef9aa4a1cf4f8c063ac5d75f2"');
    await queryRunner.query('DROP INDEX "public"."IDX_3ac18429c8d27858d79432e0dd"');
    await queryRunner.query('DROP TABLE "api_keys"');
    await queryRunner.query('DROP TABLE "tenants"');
  }
}
