import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ModelRollouts1796630000000 implements MigrationInterface {
  name = 'ModelRollouts1796630000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "model_rollouts" ("id" text NOT NULL, "repo" text NOT NULL, "digest" text NOT NULL, "state" text NOT NULL, "held" boolean NOT NULL DEFAULT false, "forced" boolean NOT NULL DEFAULT false, "miner_hotkey" text, "miner_uid" integer, "attempts" integer NOT NULL DEFAULT \'0\', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "state_since" TIMESTAMP WITH TIME ZONE NOT NULL, "asked_at" TIMESTAMP WITH TIME ZONE, "served_at" TIMESTAMP WITH TIME ZONE, "replaced_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_model_rollouts" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "UQ_model_rollouts_digest" ON "model_rollouts" ("digest") ');
    await queryRunner.query('CREATE UNIQUE INDEX "UQ_model_rollouts_serving" ON "model_rollouts" ("state") WHERE state = \'serving\'');
    await queryRunner.query(
      'CREATE TABLE "operator_notices" ("id" text NOT NULL, "type" text NOT NULL, "data" jsonb NOT NULL, "attempts" integer NOT NULL DEFAULT \'0\', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "delivered_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_operator_notices" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_operator_notices_due" ON "operator_notices" ("next_attempt_at") WHERE delivered_at IS NULL');
    await queryRunner.query('ALTER TABLE "events" ALTER COLUMN "tenant_id" DROP NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM "events" WHERE "tenant_id" IS NULL');
    await queryRunner.query('ALTER TABLE "events" ALTER COLUMN "tenant_id" SET NOT NULL');
    await queryRunner.query('DROP INDEX "public"."IDX_operator_notices_due"');
    await queryRunner.query('DROP TABLE "operator_notices"');
    await queryRunner.query('DROP INDEX "public"."UQ_model_rollouts_serving"');
    await queryRunner.query('DROP INDEX "public"."UQ_model_rollouts_digest"');
    await queryRunner.query('DROP TABLE "model_rollouts"');
  }
}
