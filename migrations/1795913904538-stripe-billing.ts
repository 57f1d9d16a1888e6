import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StripeBilling1795913904538 implements MigrationInterface {
  name = 'StripeBilling1795913904538';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "billing_accounts" ("tenant_id" text NOT NULL, "stripe_customer_id" text NOT NULL, "stripe_subscription_id" text, "subscription_status" text, "subscribed_plan" text, "current_period_start" TIMESTAMP WITH TIME ZONE, "current_period_end" TIMESTAMP WITH TIME ZONE, "past_due_since" TIMESTAMP WITH TIME ZONE, "suspended_for_nonpayment" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9c21602fd4e27ce7c5bdba562a9" PRIMARY KEY ("tenant_id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_d342d08aa2b03a5a37881db7c6" ON "billing_accounts"  ("stripe_customer_id") ');
    await queryRunner.query('CREATE INDEX "IDX_a09b1dfd393a026d293332fbfd" ON "billing_accounts"  ("stripe_subscription_id") ');
    await queryRunner.query(
      'CREATE TABLE "billing_catalog" ("plan_code" text NOT NULL, "stripe_product_id" text NOT NULL, "base_price_id" text NOT NULL, "metered_price_id" text NOT NULL, "meter_id" text NOT NULL, "currency" character(3) NOT NULL, "base_amount_minor" integer NOT NULL, "overage_minor_per_second" integer NOT NULL, "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6bd9e94e13e0f32cea57f407217" PRIMARY KEY ("plan_code"))',
    );
    await queryRunner.query(
      'CREATE TABLE "stripe_events" ("id" text NOT NULL, "type" text NOT NULL, "object_id" text, "livemode" boolean NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT \'0\', "last_error" text, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d3247bd5fc3f66b6982bbcdd897" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('ALTER TABLE "usage_records" ADD "meter_sent_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "meter_attempts" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "meter_next_attempt_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "meter_last_error" text');
    await queryRunner.query('CREATE INDEX "IDX_usage_records_meter_unsent" ON "usage_records"  ("created_at") WHERE livemode AND meter_sent_at IS NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_usage_records_meter_unsent"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "meter_last_error"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "meter_next_attempt_at"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "meter_attempts"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "meter_sent_at"');
    await queryRunner.query('DROP TABLE "stripe_events"');
    await queryRunner.query('DROP TABLE "billing_catalog"');
    await queryRunner.query('DROP INDEX "public"."IDX_a09b1dfd393a026d293332fbfd"');
    await queryRunner.query('DROP INDEX "public"."IDX_d342d08aa2b03a5a37881db7c6"');
    await queryRunner.query('DROP TABLE "billing_accounts"');
  }
}
