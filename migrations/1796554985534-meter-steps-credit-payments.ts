import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The meter relay records each of its three Stripe steps (and when it gave up), so a retry resends
 * only what is left. Rows already marked sent had every step accepted. Credit grants keep the
 * PaymentIntent that paid for them, so a refund or lost dispute of that payment claws them back.
 */
export class MeterStepsCreditPayments1796554985534 implements MigrationInterface {
  name = 'MeterStepsCreditPayments1796554985534';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "usage_records" ADD "meter_event_sent_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "meter_surcharge_sent_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "meter_credit_sent_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "usage_records" ADD "meter_gave_up_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(`UPDATE "usage_records" SET "meter_event_sent_at" = "meter_sent_at",
      "meter_surcharge_sent_at" = CASE WHEN "overage_seconds" > 0 THEN "meter_sent_at" END,
      "meter_credit_sent_at" = CASE WHEN "credits_applied_minor" > 0 THEN "meter_sent_at" END
      WHERE "meter_sent_at" IS NOT NULL`);
    await queryRunner.query('ALTER TABLE "credit_grants" ADD "stripe_payment_intent_id" text');
    await queryRunner.query(
      'CREATE INDEX "IDX_3e8d3abf4ebbf22818b665cc8f" ON "credit_grants"  ("stripe_payment_intent_id") WHERE stripe_payment_intent_id IS NOT NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_3e8d3abf4ebbf22818b665cc8f"');
    await queryRunner.query('ALTER TABLE "credit_grants" DROP COLUMN "stripe_payment_intent_id"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "meter_gave_up_at"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "meter_credit_sent_at"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "meter_surcharge_sent_at"');
    await queryRunner.query('ALTER TABLE "usage_records" DROP COLUMN "meter_event_sent_at"');
  }
}
