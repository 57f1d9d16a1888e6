import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1795350307835 implements MigrationInterface {
  name = 'Webhooks1795350307835';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "events" ("id" text NOT NULL, "seq" BIGSERIAL NOT NULL, "tenant_id" text NOT NULL, "type" text NOT NULL, "object_id" text NOT NULL, "data" jsonb NOT NULL, "livemode" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_40731c7151fe4be3116e45ddf73" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_e187be20f8cf27caf3a064bf22" ON "events"  ("object_id", "seq") ');
    await queryRunner.query('CREATE INDEX "IDX_700597e26df59e1931a61cf847" ON "events"  ("tenant_id", "id") ');
    await queryRunner.query(
      'CREATE TABLE "webhook_deliveries" ("id" text NOT NULL, "tenant_id" text NOT NULL, "event_id" text NOT NULL, "endpoint_id" text, "url" text NOT NULL, "status" text NOT NULL DEFAULT \'pending\', "attempts" integer NOT NULL DEFAULT \'0\', "attempt_log" jsonb NOT NULL DEFAULT \'[]\', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "enqueued_at" TIMESTAMP WITH TIME ZONE, "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_webhook_deliveries_due" ON "webhook_deliveries"  ("next_attempt_at") WHERE status = \'pending\'');
    await queryRunner.query('CREATE INDEX "IDX_27d1ee90033bdafe0ffe8f1be6" ON "webhook_deliveries"  ("event_id") ');
    await queryRunner.query('CREATE INDEX "IDX_bf4c2408a9971469612351d92a" ON "webhook_deliveries"  ("endpoint_id", "id") ');
    await queryRunner.query(
      'CREATE TABLE "webhook_endpoints" ("id" text NOT NULL, "tenant_id" text NOT NULL, "url" text NOT NULL, "description" text NOT NULL DEFAULT \'\', "enabled_events" text array NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "disabled_reason" text, "disabled_at" TIMESTAMP WITH TIME ZONE, "failing_since" TIMESTAMP WITH TIME ZONE, "secret_enc" text NOT NULL, "previous_secret_enc" text, "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "deleted" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_054c4cfb95223732f5939d2d546" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_aaf5edad648c95c8e7060aebfb" ON "webhook_endpoints"  ("tenant_id", "id") ');
    await queryRunner.query(
      'CREATE TABLE "webhook_tenant_secrets" ("tenant_id" text NOT NULL, "secret_enc" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_92d004d3bdc5c2ebb8f8ae552d2" PRIMARY KEY ("tenant_id"))',
    );
    await queryRunner.query('ALTER TABLE "videos" ADD "webhook_url" text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "webhook_url"');
    await queryRunner.query('DROP TABLE "webhook_tenant_secrets"');
    await queryRunner.query('DROP INDEX "public"."IDX_aaf5edad648c95c8e7060aebfb"');
    await queryRunner.query('DROP TABLE "webhook_endpoints"');
    await queryRunner.query('DROP INDEX "public"."IDX_bf4c2408a9971469612351d92a"');
    await queryRunner.query('DROP INDEX "public"."IDX_27d1ee90033bdafe0ffe8f1be6"');
    await queryRunner.query('DROP INDEX "public"."IDX_webhook_deliveries_due"');
    await queryRunner.query('DROP TABLE "webhook_deliveries"');
    await queryRunner.query('DROP INDEX "public"."IDX_700597e26df59e1931a61cf847"');
    await queryRunner.query('DROP INDEX "public"."IDX_e187be20f8cf27caf3a064bf22"');
    await queryRunner.query('DROP TABLE "events"');
  }
}
