import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Stripe follows the contract: which contract version a tenant's subscription was built from, with its Stripe ids and the retry state of applying the next one. */
export class ContractStripeSync1796650000100 implements MigrationInterface {
  name = 'ContractStripeSync1796650000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "billing_accounts" ADD "contract_version_synced" integer');
    await queryRunner.query('ALTER TABLE "billing_accounts" ADD "contract_prices" jsonb');
    await queryRunner.query('ALTER TABLE "billing_accounts" ADD "contract_sync_attempts" integer NOT NULL DEFAULT 0');
    await queryRunner.query('ALTER TABLE "billing_accounts" ADD "contract_sync_error" text');
    await queryRunner.query('ALTER TABLE "billing_accounts" ADD "contract_sync_next_at" TIMESTAMP WITH TIME ZONE');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const c of ['contract_sync_next_at', 'contract_sync_error', 'contract_sync_attempts', 'contract_prices', 'contract_version_synced']) {
      await queryRunner.query(`ALTER TABLE "billing_accounts" DROP COLUMN "${c}"`);
    }
  }
}
