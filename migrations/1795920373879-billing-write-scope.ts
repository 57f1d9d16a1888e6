import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Checkout and the customer portal moved from scope keys:manage to the new billing:write. Every key
 * that could open them before keeps that power, so no integration breaks on deploy.
 */
export class BillingWriteScope1795920373879 implements MigrationInterface {
  name = 'BillingWriteScope1795920373879';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'UPDATE "api_keys" SET "scopes" = array_append("scopes", \'billing:write\') WHERE \'keys:manage\' = ANY("scopes") AND NOT \'billing:write\' = ANY("scopes")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('UPDATE "api_keys" SET "scopes" = array_remove("scopes", \'billing:write\')');
  }
}
