import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Treasury money in its own currency, fundings proven on chain, burns signed by a proxy.
 * Fundings: usd_cents becomes fiat_minor + currency (every existing row was recorded in US
 * cents, so it is 'usd'); the rate gains its source and the time it was read (finance entered the
 * rate of existing rows when it recorded them: 'entered by finance' at received_at); the transfer
 * into the coldkey (block number + extrinsic index, unique) is null for rows recorded before
 * transfers were proven. Burns name the currency whose pool they draw on (existing ones covered
 * US cents) and the coldkey a proxy signed for.
 */
export class TreasuryCurrencyProxy1796660000000 implements MigrationInterface {
  name = 'TreasuryCurrencyProxy1796660000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "treasury_fundings" RENAME COLUMN "usd_cents" TO "fiat_minor"');
    await queryRunner.query('ALTER TABLE "treasury_fundings" ADD "currency" character(3)');
    await queryRunner.query('ALTER TABLE "treasury_fundings" ADD "rate_source" text');
    await queryRunner.query('ALTER TABLE "treasury_fundings" ADD "rate_read_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(`UPDATE "treasury_fundings" SET "currency" = 'usd', "rate_source" = 'entered by finance', "rate_read_at" = "received_at"`);
    await queryRunner.query('ALTER TABLE "treasury_fundings" ALTER COLUMN "currency" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "treasury_fundings" ALTER COLUMN "rate_source" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "treasury_fundings" ALTER COLUMN "rate_read_at" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "treasury_fundings" ADD "transfer_block_number" bigint');
    await queryRunner.query('ALTER TABLE "treasury_fundings" ADD "transfer_extrinsic_index" integer');
    await queryRunner.query('ALTER TABLE "treasury_fundings" ADD "transfer_block_hash" text');
    await queryRunner.query('ALTER TABLE "treasury_fundings" ADD "transfer_hash" text');
    await queryRunner.query('ALTER TABLE "treasury_fundings" ADD "transfer_from" text');
    await queryRunner.query('CREATE UNIQUE INDEX "UQ_treasury_fundings_transfer" ON "treasury_fundings" ("transfer_block_number", "transfer_extrinsic_index")');
    await queryRunner.query('ALTER TABLE "treasury_burns" ADD "currency" character(3)');
    await queryRunner.query(`UPDATE "treasury_burns" SET "currency" = 'usd'`);
    await queryRunner.query('ALTER TABLE "treasury_burns" ALTER COLUMN "currency" SET NOT NULL');
    await queryRunner.query('ALTER TABLE "treasury_burns" ADD "coldkey" text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "treasury_burns" DROP COLUMN "coldkey"');
    await queryRunner.query('ALTER TABLE "treasury_burns" DROP COLUMN "currency"');
    await queryRunner.query('DROP INDEX "public"."UQ_treasury_fundings_transfer"');
    for (const c of [
      'transfer_from',
      'transfer_hash',
      'transfer_block_hash',
      'transfer_extrinsic_index',
      'transfer_block_number',
      'rate_read_at',
      'rate_source',
      'currency',
    ]) {
      await queryRunner.query(`ALTER TABLE "treasury_fundings" DROP COLUMN "${c}"`);
    }
    await queryRunner.query('ALTER TABLE "treasury_fundings" RENAME COLUMN "fiat_minor" TO "usd_cents"');
  }
}
