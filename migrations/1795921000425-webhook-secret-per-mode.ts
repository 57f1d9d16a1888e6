import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One default webhook signing secret per mode: the secret a tenant has is the one its live
 * deliveries were verified with, so it stays the live one; the test secret is made on first use
 * (GET /v1/webhook-secret with a test key, or the first test-mode delivery), as any secret is.
 */
export class WebhookSecretPerMode1795921000425 implements MigrationInterface {
  name = 'WebhookSecretPerMode1795921000425';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "webhook_tenant_secrets" ADD "livemode" boolean NOT NULL DEFAULT true');
    await queryRunner.query('ALTER TABLE "webhook_tenant_secrets" ALTER COLUMN "livemode" DROP DEFAULT');
    await queryRunner.query('ALTER TABLE "webhook_tenant_secrets" DROP CONSTRAINT "PK_92d004d3bdc5c2ebb8f8ae552d2"');
    await queryRunner.query('ALTER TABLE "webhook_tenant_secrets" ADD CONSTRAINT "PK_webhook_tenant_secrets" PRIMARY KEY ("tenant_id", "livemode")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM "webhook_tenant_secrets" WHERE NOT "livemode"');
    await queryRunner.query('ALTER TABLE "webhook_tenant_secrets" DROP CONSTRAINT "PK_webhook_tenant_secrets"');
    await queryRunner.query('ALTER TABLE "webhook_tenant_secrets" ADD CONSTRAINT "PK_92d004d3bdc5c2ebb8f8ae552d2" PRIMARY KEY ("tenant_id")');
    await queryRunner.query('ALTER TABLE "webhook_tenant_secrets" DROP COLUMN "livemode"');
  }
}
