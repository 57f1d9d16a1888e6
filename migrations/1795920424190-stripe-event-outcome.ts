import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StripeEventOutcome1795920424190 implements MigrationInterface {
  name = 'StripeEventOutcome1795920424190';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "stripe_events" ADD "outcome" text');
    await queryRunner.query('ALTER TABLE "stripe_events" ADD "outcome_reason" text');
    // Events already processed were either applied or of a type no handler takes.
    await queryRunner.query(
      "UPDATE \"stripe_events\" SET \"outcome\" = CASE WHEN \"type\" IN ('checkout.session.completed', 'customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted', 'invoice.paid', 'invoice.payment_failed', 'invoice.finalized', 'charge.refunded', 'charge.dispute.created', 'charge.dispute.closed') THEN 'applied' ELSE 'ignored' END WHERE \"processed_at\" IS NOT NULL",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "stripe_events" DROP COLUMN "outcome_reason"');
    await queryRunner.query('ALTER TABLE "stripe_events" DROP COLUMN "outcome"');
  }
}
