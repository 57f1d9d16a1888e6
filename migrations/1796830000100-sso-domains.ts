import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 33: proof of SSO email domains by DNS TXT record, and sign-ons for operators (no tenant). */
export class SsoDomains1796830000100 implements MigrationInterface {
  name = 'SsoDomains1796830000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "sso_domains" ("tenant_id" text NOT NULL, "domain" text NOT NULL, "token" text NOT NULL, "verified_at" TIMESTAMP WITH TIME ZONE, "checked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_sso_domains" PRIMARY KEY ("tenant_id", "domain"))',
    );
    await queryRunner.query('ALTER TABLE "sso_requests" ALTER COLUMN "tenant_id" DROP NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "sso_domains"');
  }
}
