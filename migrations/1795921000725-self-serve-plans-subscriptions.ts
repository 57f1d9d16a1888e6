import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans say whether a customer may buy them through Checkout (free, starter and pro; enterprise is
 * sold by the account team). A billing account remembers its one open Checkout session, and the
 * unsold plan an operator moved it to when its subscription was set to end at period end.
 */
export class SelfServePlansSubscriptions1795921000725 implements MigrationInterface {
  name = 'SelfServePlansSubscriptions1795921000725';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "plans" ADD "self_serve" boolean NOT NULL DEFAULT false');
    await queryRunner.query(`UPDATE "plans" SET "self_serve" = true WHERE "code" IN ('free', 'starter', 'pro')`);
    await queryRunner.query('ALTER TABLE "billing_accounts" ADD "open_checkout_session_id" text');
    await queryRunner.query('ALTER TABLE "billing_accounts" ADD "open_checkout_plan" text');
    await queryRunner.query('ALTER TABLE "billing_accounts" ADD "ending_for_plan" text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "billing_accounts" DROP COLUMN "ending_for_plan"');
    await queryRunner.query('ALTER TABLE "billing_accounts" DROP COLUMN "open_checkout_plan"');
    await queryRunner.query('ALTER TABLE "billing_accounts" DROP COLUMN "open_checkout_session_id"');
    await queryRunner.query('ALTER TABLE "plans" DROP COLUMN "self_serve"');
  }
}
