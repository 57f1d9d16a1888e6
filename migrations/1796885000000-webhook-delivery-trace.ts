import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 35: the trace context of whatever wrote a webhook delivery, so its job continues that trace (null while tracing is off). */
export class WebhookDeliveryTrace1796885000000 implements MigrationInterface {
  name = 'WebhookDeliveryTrace1796885000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "webhook_deliveries" ADD "trace" jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "webhook_deliveries" DROP COLUMN "trace"');
  }
}
