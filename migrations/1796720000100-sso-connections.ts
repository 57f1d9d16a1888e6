import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 33: OIDC single sign-on per tenant, and the sign-ons in flight (state, nonce, PKCE verifier). */
export class SsoConnections1796720000100 implements MigrationInterface {
  name = 'SsoConnections1796720000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "sso_connections" ("tenant_id" text NOT NULL, "issuer" text NOT NULL, "client_id" text NOT NULL, "client_secret_sealed" text NOT NULL, "allowed_domains" text array NOT NULL DEFAULT \'{}\', "default_role" text NOT NULL DEFAULT \'viewer\', "sso_required" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a30aeb24e46e72a0d58f6c22828" PRIMARY KEY ("tenant_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "sso_requests" ("id" text NOT NULL, "tenant_id" text NOT NULL, "state_hash" text NOT NULL, "nonce" text NOT NULL, "code_verifier" text NOT NULL, "browser_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "consumed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3ee79a674600bdac0c5935199d8" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_935200bb8689cfd985112beaa2" ON "sso_requests"  ("state_hash") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_935200bb8689cfd985112beaa2"');
    await queryRunner.query('DROP TABLE "sso_requests"');
    await queryRunner.query('DROP TABLE "sso_connections"');
  }
}
