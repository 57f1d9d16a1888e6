import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 33: enterprise handover by one-time claim links (only their hashes are kept). */
export class ClaimLinks1796830000000 implements MigrationInterface {
  name = 'ClaimLinks1796830000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "claim_links" ("id" text NOT NULL, "tenant_id" text NOT NULL, "email" text NOT NULL, "role" text NOT NULL DEFAULT \'owner\', "token_hash" text NOT NULL, "created_by" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE, "accepted_by" text, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_claim_links" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_b06a622797452bf9c6d4a8ab31" ON "claim_links"  ("tenant_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_c0318a6ebaad66022a39b8b8ec" ON "claim_links"  ("token_hash") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "claim_links"');
  }
}
