import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CostsAlertsCredits1795921000100 implements MigrationInterface {
  name = 'CostsAlertsCredits1795921000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "spend_alerts" ("id" text NOT NULL, "tenant_id" text NOT NULL, "metric" text NOT NULL, "threshold" integer NOT NULL, "hard_cap" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ccd36fd2a018abd6822de6e6eb3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_d37e760acc4e0d0b75a87c4294" ON "spend_alerts"  ("tenant_id") ');
    await queryRunner.query(
      'CREATE TABLE "spend_alert_firings" ("alert_id" text NOT NULL, "period" text NOT NULL, "fired_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b22c42263944954b50bf75dbdd5" PRIMARY KEY ("alert_id", "period"))',
    );
    await queryRunner.query(
      'CREATE TABLE "credit_grants" ("id" text NOT NULL, "tenant_id" text NOT NULL, "source" text NOT NULL, "amount_minor" integer NOT NULL, "remaining_minor" integer NOT NULL, "currency" character(3) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "note" text, "stripe_checkout_session_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_96397f777dbd187ab013c6df4c2" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_eb1ea837ea03e5f217c59ae199" ON "credit_grants"  ("stripe_checkout_session_id") WHERE stripe_checkout_session_id IS NOT NULL',
    );
    await queryRunner.query('CREATE INDEX "IDX_419f877232eefcf71510059df9" ON "credit_grants"  ("tenant_id", "expires_at") ');
    await queryRunner.query(
      'CREATE TABLE "credit_movements" ("id" text NOT NULL, "tenant_id" text NOT NULL, "grant_id" text NOT NULL, "kind" text NOT NULL, "amount_minor" integer NOT NULL, "video_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4d9f87431fb75c62a3884848040" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_5f11a79b1d35564dec43dfed8b" ON "credit_movements"  ("tenant_id", "created_at") ');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "api_key_id" text');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "resolution" text');
    // Rows from before costs were recorded take their key and resolution from the video; their cost stays 0 (it was never fixed).
    await queryRunner.query(
      'UPDATE "usage_records" u SET "api_key_id" = v."api_key_id", "resolution" = v."resolution" FROM "videos" v WHERE v."id" = u."video_id"',
    );
    await queryRunner.query('UPDATE "usage_records" SET "resolution" = \'480p\' WHERE "resolution" IS NULL');
    await queryRunner.query('ALTER TABLE "usage_records" ALTER COLUMN "resolution" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "amount_minor" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "currency" character(3) NOT NULL DEFAULT \'usd\'');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "included_seconds_used" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "overage_seconds" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "unit_amount_minor" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "credits_applied_minor" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query('ALTER TABLE "billing_catalog" ADD "surcharge_price_ids" jsonb NOT NULL DEFAULT \'{}\'');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "billing_catalog" DROP COLUMN "surcharge_price_ids"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "credits_applied_minor"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "unit_amount_minor"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "overage_seconds"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "included_seconds_used"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "currency"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "amount_minor"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "resolution"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "api_key_id"');
    await queryRunner.query('DROP INDEX "public"."IDX_5f11a79b1d35564dec43dfed8b"');
    await queryRunner.query('DROP TABLE "credit_movements"');
    await queryRunner.query('DROP INDEX "public"."IDX_419f877232eefcf71510059df9"');
    await queryRunner.query('DROP INDEX "public"."IDX_eb1ea837ea03e5f217c59ae199"');
    await queryRunner.query('DROP TABLE "credit_grants"');
    await queryRunner.query('DROP TABLE "spend_alert_firings"');
    await queryRunner.query('DROP INDEX "public"."IDX_d37e760acc4e0d0b75a87c4294"');
    await queryRunner.query('DROP TABLE "spend_alerts"');
  }
}
