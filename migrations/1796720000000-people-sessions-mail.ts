import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 33: users, memberships, browser sessions, emailed sign-in links, invitations, the mail outbox; api_keys learn their purpose (a member's hidden session key) and who created them. */
export class PeopleSessionsMail1796720000000 implements MigrationInterface {
  name = 'PeopleSessionsMail1796720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "users" ("id" text NOT NULL, "email" text NOT NULL, "name" text NOT NULL DEFAULT \'\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "memberships" ("id" text NOT NULL, "tenant_id" text NOT NULL, "user_id" text NOT NULL, "role" text NOT NULL, "live_key_id" text NOT NULL, "test_key_id" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_7496a942c4958ee034f803461e8" UNIQUE ("tenant_id", "user_id"), CONSTRAINT "PK_25d28bd932097a9e90495ede7b4" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_7c1e2fdfed4f6838e0c05ae505" ON "memberships"  ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "sessions" ("id" text NOT NULL, "user_id" text, "operator_id" text, "tenant_id" text, "token_hash" text NOT NULL, "csrf_hash" text NOT NULL, "method" text NOT NULL, "user_agent" text NOT NULL DEFAULT \'\', "ip" text NOT NULL DEFAULT \'\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "idle_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "absolute_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions"  ("user_id") ');
    await queryRunner.query('CREATE INDEX "IDX_564049e1a03dab14c91cfe3c56" ON "sessions"  ("operator_id") ');
    await queryRunner.query('CREATE INDEX "IDX_22aa22eb69a1e6826a1f58902d" ON "sessions"  ("tenant_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_abaa9e068cdd390bc5210f7988" ON "sessions"  ("token_hash") ');
    await queryRunner.query(
      'CREATE TABLE "sign_in_links" ("id" text NOT NULL, "purpose" text NOT NULL, "email" text NOT NULL, "email_domain" text NOT NULL, "token_hash" text NOT NULL, "browser_hash" text NOT NULL, "data" jsonb NOT NULL DEFAULT \'{}\', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "consumed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2097ee1b62272fac6526b35398e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_7e056095bb858289789025d055" ON "sign_in_links"  ("token_hash") ');
    await queryRunner.query('CREATE INDEX "IDX_c7f31f9fe31397b73f18bfa882" ON "sign_in_links"  ("email_domain", "created_at") ');
    await queryRunner.query('CREATE INDEX "IDX_63b166fad7f82bb5b5acf64095" ON "sign_in_links"  ("email", "created_at") ');
    await queryRunner.query(
      'CREATE TABLE "invitations" ("id" text NOT NULL, "tenant_id" text NOT NULL, "email" text NOT NULL, "role" text NOT NULL, "token_hash" text NOT NULL, "invited_by" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5dec98cfdfd562e4ad3648bbb07" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_290e75d606ba89eb421b8b5ec4" ON "invitations"  ("tenant_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_872ac94a64b3d44fc4b554780c" ON "invitations"  ("token_hash") ');
    await queryRunner.query(
      'CREATE TABLE "outbound_emails" ("id" text NOT NULL, "to_address" text NOT NULL, "subject" text NOT NULL, "text_body" text NOT NULL, "html_body" text NOT NULL, "status" text NOT NULL DEFAULT \'pending\', "attempts" integer NOT NULL DEFAULT \'0\', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_error" text, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d07cd54ab4e5dd921ff509203ae" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_ac6c20407457cdf0de6ceca0c8" ON "outbound_emails"  ("status", "next_attempt_at") ');
    await queryRunner.query('ALTER TABLE "api_keys" ADD "purpose" text NOT NULL DEFAULT \'api\'');
    await queryRunner.query('ALTER TABLE "api_keys" ADD "created_by" text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "api_keys" DROP COLUMN "created_by"');
    await queryRunner.query('ALTER TABLE "api_keys" DROP COLUMN "purpose"');
    await queryRunner.query('DROP INDEX "public"."IDX_ac6c20407457cdf0de6ceca0c8"');
    await queryRunner.query('DROP TABLE "outbound_emails"');
    await queryRunner.query('DROP INDEX "public"."IDX_872ac94a64b3d44fc4b554780c"');
    await queryRunner.query('DROP INDEX "public"."IDX_290e75d606ba89eb421b8b5ec4"');
    await queryRunner.query('DROP TABLE "invitations"');
    await queryRunner.query('DROP INDEX "public"."IDX_63b166fad7f82bb5b5acf64095"');
    await queryRunner.query('DROP INDEX "public"."IDX_c7f31f9fe31397b73f18bfa882"');
    await queryRunner.query('DROP INDEX "public"."IDX_7e056095bb858289789025d055"');
    await queryRunner.query('DROP TABLE "sign_in_links"');
    await queryRunner.query('DROP INDEX "public"."IDX_abaa9e068cdd390bc5210f7988"');
    await queryRunner.query('DROP INDEX "public"."IDX_22aa22eb69a1e6826a1f58902d"');
    await queryRunner.query('DROP INDEX "public"."IDX_564049e1a03dab14c91cfe3c56"');
    await queryRunner.query('DROP INDEX "public"."IDX_085d540d9f418cfbdc7bd55bb1"');
    await queryRunner.query('DROP TABLE "sessions"');
    await queryRunner.query('DROP INDEX "public"."IDX_7c1e2fdfed4f6838e0c05ae505"');
    await queryRunner.query('DROP TABLE "memberships"');
    await queryRunner.query('DROP TABLE "users"');
  }
}
