import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TenancyPlansAudit1795349300616 implements MigrationInterface {
  name = 'TenancyPlansAudit1795349300616';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "plans" ("code" text NOT NULL, "name" text NOT NULL, "included_video_seconds" integer NOT NULL, "overage_allowed" boolean NOT NULL, "requests_per_minute" integer NOT NULL, "concurrent_videos" integer NOT NULL, "max_duration_seconds" integer NOT NULL, "max_resolution" text NOT NULL, "max_batch_size" integer NOT NULL, "retention_days" integer NOT NULL, "queue_priority" integer NOT NULL, CONSTRAINT "PK_95f7ef3fc4c31a3545b4d825dd4" PRIMARY KEY ("code"))',
    );
    await queryRunner.query(
      'CREATE TABLE "operators" ("id" text NOT NULL, "name" text NOT NULL, "email" text NOT NULL, "role" text NOT NULL, "disabled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_1570f3d85c3ff08bb99815897a2" UNIQUE ("email"), CONSTRAINT "PK_3d02b3692836893720335a79d1b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "operator_keys" ("id" text NOT NULL, "operator_id" text NOT NULL, "secret_hash" text NOT NULL, "secret_start" text NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b1f98d1defaa7d1b2059e905a13" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_95ae6a0ab08ca9b9eea18cd07b" ON "operator_keys"  ("operator_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_b0f75066cb6141955d6eed8876" ON "operator_keys"  ("secret_hash") ');
    await queryRunner.query(
      'CREATE TABLE "audit_log" ("id" text NOT NULL, "chain" text NOT NULL, "seq" integer NOT NULL, "tenant_id" text, "actor_type" text NOT NULL, "actor_id" text NOT NULL, "action" text NOT NULL, "target_type" text NOT NULL, "target_id" text NOT NULL, "before" jsonb, "after" jsonb, "request_id" text, "prev_hash" text NOT NULL, "hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_7265cf4ae3bb55c806e54e5436" ON "audit_log"  ("tenant_id", "id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_f88fa83e4ffdc0321bee5e2ea9" ON "audit_log"  ("chain", "seq") ');
    await queryRunner.query('ALTER TABLE "tenants" ADD "limit_overrides" jsonb NOT NULL DEFAULT \'{}\'');
    await queryRunner.query('ALTER TABLE "tenants" ADD "billing_mode" text NOT NULL DEFAULT \'self_serve\'');
    await queryRunner.query('ALTER TABLE "tenants" ADD "net_days" integer');
    await queryRunner.query('ALTER TABLE "api_keys" ADD "rate_limit_per_minute" integer');
    await queryRunner.query('ALTER TABLE "api_keys" ADD "monthly_video_seconds" integer');
    // Plans are data: sales tunes them with SQL or a later admin endpoint, not a deploy.
    await queryRunner.query(`INSERT INTO "plans" ("code", "name", "included_video_seconds", "overage_allowed", "requests_per_minute", "concurrent_videos", "max_duration_seconds", "max_resolution", "max_batch_size", "retention_days", "queue_priority") VALUES
      ('free', 'Free', 60, false, 60, 1, 5, '480p', 10, 7, 10),
      ('starter', 'Starter', 1800, true, 300, 3, 10, '720p', 100, 30, 5),
      ('pro', 'Pro', 12000, true, 1200, 10, 10, '720p', 1000, 90, 3),
      ('enterprise', 'Enterprise', 100000, true, 6000, 50, 10, '720p', 10000, 365, 1)`);
    // Append-only audit log: even a bug or a stray console session cannot rewrite history.
    await queryRunner.query(`CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`);
    await queryRunner.query(
      'CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"()',
    );
    await queryRunner.query(
      'CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "api_keys" DROP COLUMN "monthly_video_seconds"');
    await queryRunner.query('ALTER TABLE "api_keys" DROP COLUMN "rate_limit_per_minute"');
    await queryRunner.query('ALTER TABLE "tenants" DROP COLUMN "net_days"');
    await queryRunner.query('ALTER TABLE "tenants" DROP COLUMN "billing_mode"');
    await queryRunner.query('ALTER TABLE "tenants" DROP COLUMN "limit_overrides"');
    await queryRunner.query('DROP INDEX "public"."IDX_f88fa83e4ffdc0321bee5e2ea9"');
    await queryRunner.query('DROP INDEX "public"."IDX_7265cf4ae3bb55c806e54e5436"');
    await queryRunner.query('DROP TABLE "audit_log"');
    await queryRunner.query('DROP FUNCTION "audit_log_append_only"()');
    await queryRunner.query('DROP INDEX "public"."IDX_b0f75066cb6141955d6eed8876"');
    await queryRunner.query('DROP INDEX "public"."IDX_95ae6a0ab08ca9b9eea18cd07b"');
    await queryRunner.query('DROP TABLE "operator_keys"');
    await queryRunner.query('DROP TABLE "operators"');
    await queryRunner.query('DROP TABLE "plans"');
  }
}
