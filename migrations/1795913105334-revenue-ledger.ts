import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RevenueLedger1795913105334 implements MigrationInterface {
  name = 'RevenueLedger1795913105334';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "revenue_entries" ("id" text NOT NULL, "tenant_id" text NOT NULL, "kind" text NOT NULL, "amount_minor" bigint NOT NULL, "currency" character(3) NOT NULL, "stripe_object_id" text NOT NULL, "stripe_invoice_id" text, "period_start" TIMESTAMP WITH TIME ZONE, "period_end" TIMESTAMP WITH TIME ZONE, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_revenue_entries_kind_object" UNIQUE ("kind", "stripe_object_id"), CONSTRAINT "PK_0b8d96a086e3e8f411743a216ee" PRIMARY KEY ("id"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "revenue_entries"');
  }
}
