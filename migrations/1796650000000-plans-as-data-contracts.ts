import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans as data: price versions with effective dates (plans without one keep the env price list),
 * retiring a plan; per-tenant contract versions (rate card, commitment, discount, term, PO, tax
 * ids, billing email, limits) and grandfathering pins on an earlier plan price.
 */
export class PlansAsDataContracts1796650000000 implements MigrationInterface {
  name = 'PlansAsDataContracts1796650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "plans" ADD "retired_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(`CREATE TABLE "plan_versions" ("id" text NOT NULL, "plan_code" text NOT NULL, "version" integer NOT NULL, "effective_from" TIMESTAMP WITH TIME ZONE NOT NULL,
      "currency" character(3) NOT NULL, "base_minor" integer NOT NULL, "overage_minor_per_second" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_plan_versions" PRIMARY KEY ("id"))`);
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_f939c8c52b29e00e546aa7bd4e" ON "plan_versions" ("plan_code", "version") ');
    await queryRunner.query(`CREATE TABLE "contract_versions" ("id" text NOT NULL, "tenant_id" text NOT NULL, "version" integer NOT NULL, "effective_from" TIMESTAMP WITH TIME ZONE NOT NULL,
      "plan_code" text NOT NULL, "currency" character(3) NOT NULL, "base_minor" integer NOT NULL, "included_video_seconds" integer NOT NULL, "overage_minor_per_second" jsonb NOT NULL,
      "commitment_minor" integer NOT NULL DEFAULT 0, "discount_bps" integer NOT NULL DEFAULT 0, "term_start" TIMESTAMP WITH TIME ZONE NOT NULL, "term_end" TIMESTAMP WITH TIME ZONE,
      "auto_renew" boolean NOT NULL DEFAULT false, "po_number" text, "tax_ids" jsonb NOT NULL DEFAULT '[]', "billing_email" text, "limits" jsonb NOT NULL DEFAULT '{}',
      "activated_at" TIMESTAMP WITH TIME ZONE, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_contract_versions" PRIMARY KEY ("id"))`);
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_e20fd7d29efb04f5116f6bb16a" ON "contract_versions" ("tenant_id", "version") ');
    await queryRunner.query(`CREATE TABLE "plan_price_pins" ("tenant_id" text NOT NULL, "plan_code" text NOT NULL, "plan_version" integer NOT NULL, "until" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_plan_price_pins" PRIMARY KEY ("tenant_id"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "plan_price_pins"');
    await queryRunner.query('DROP INDEX "public"."IDX_e20fd7d29efb04f5116f6bb16a"');
    await queryRunner.query('DROP TABLE "contract_versions"');
    await queryRunner.query('DROP INDEX "public"."IDX_f939c8c52b29e00e546aa7bd4e"');
    await queryRunner.query('DROP TABLE "plan_versions"');
    await queryRunner.query('ALTER TABLE "plans" DROP COLUMN "retired_at"');
  }
}
