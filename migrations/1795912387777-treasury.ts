import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Treasury1795912387777 implements MigrationInterface {
  name = 'Treasury1795912387777';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "treasury_allocations" ("id" text NOT NULL, "revenue_entry_id" text NOT NULL, "tenant_id" text NOT NULL, "kind" text NOT NULL, "stripe_invoice_id" text, "revenue_minor" bigint NOT NULL, "currency" character(3) NOT NULL, "share_bps" integer NOT NULL, "amount_minor" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_e1c9b50ba0656c31bc6c9affca8" UNIQUE ("revenue_entry_id"), CONSTRAINT "PK_006d94677220f19c1a7cdf87260" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_b03ff12609c3b83205fd2c5fc2" ON "treasury_allocations"  ("stripe_invoice_id") ');
    await queryRunner.query(
      'CREATE TABLE "treasury_burns" ("id" text NOT NULL, "status" text NOT NULL, "attempt" integer NOT NULL DEFAULT \'1\', "retry_of" text, "amount_rao" bigint NOT NULL, "covered_minor" bigint NOT NULL, "netuid" integer NOT NULL, "hotkey" text, "signer" text, "price_rao" bigint, "limit_price_rao" bigint, "expected_alpha" bigint, "spec_version" integer, "nonce" integer, "extrinsic_hash" text, "signed_extrinsic" text, "era_birth_block" bigint, "expires_at_block" bigint, "memo_hash" text, "block_number" bigint, "block_hash" text, "extrinsic_index" integer, "tao_spent_rao" bigint, "alpha_bought" bigint, "alpha_burned" bigint, "fee_rao" bigint, "failure_reason" text, "verification" jsonb, "finalized_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a79fa386cf224eb872e354665f8" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_2b1b742db4a0ab621ef1eaeea4" ON "treasury_burns"  ("status") ');
    await queryRunner.query(
      'CREATE TABLE "treasury_burn_allocations" ("burn_id" text NOT NULL, "allocation_id" text NOT NULL, "amount_minor" bigint NOT NULL, CONSTRAINT "PK_dc107e3b72c710e31bdbbd5bffb" PRIMARY KEY ("burn_id", "allocation_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "treasury_fundings" ("id" text NOT NULL, "amount_rao" bigint NOT NULL, "usd_cents" bigint NOT NULL, "rate" text NOT NULL, "source" text NOT NULL, "external_reference" text NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_0551a78dec57b0acf032f500b78" UNIQUE ("external_reference"), CONSTRAINT "PK_8c2eb76fea8c89fbbf547dfb3e5" PRIMARY KEY ("id"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "treasury_fundings"');
    await queryRunner.query('DROP TABLE "treasury_burn_allocations"');
    await queryRunner.query('DROP INDEX "public"."IDX_2b1b742db4a0ab621ef1eaeea4"');
    await queryRunner.query('DROP TABLE "treasury_burns"');
    await queryRunner.query('DROP INDEX "public"."IDX_b03ff12609c3b83205fd2c5fc2"');
    await queryRunner.query('DROP TABLE "treasury_allocations"');
  }
}
