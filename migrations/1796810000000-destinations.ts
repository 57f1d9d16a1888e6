import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 32 item 4: customers' own buckets as destinations, the delivery outbox (one row per video
 * whose files are copied there), and the destination a video or batch names. New tables and
 * nullable columns only: the previous release neither reads nor writes any of them.
 */
export class Destinations1796810000000 implements MigrationInterface {
  name = 'Destinations1796810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "destinations" ("id" text NOT NULL, "tenant_id" text NOT NULL, "livemode" boolean NOT NULL, "description" text NOT NULL DEFAULT '', "bucket" text NOT NULL, "region" text NOT NULL, "endpoint" text, "force_path_style" boolean NOT NULL DEFAULT false, "prefix" text NOT NULL DEFAULT '', "access_key_id" text NOT NULL, "secret_enc" text NOT NULL, "deleted" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_69c5e8db964dcb83d3a0640f3c7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_73a4c57075e0581b240f2ba3b7" ON "destinations" ("tenant_id", "id")`);
    await queryRunner.query(
      `CREATE TABLE "video_deliveries" ("video_id" text NOT NULL, "tenant_id" text NOT NULL, "livemode" boolean NOT NULL, "destination_id" text NOT NULL, "key" text NOT NULL, "files" jsonb NOT NULL, "status" text NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a163ebb8c46bddcdfbc8cb497fd" PRIMARY KEY ("video_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_video_deliveries_due" ON "video_deliveries" ("next_attempt_at") WHERE "status" = 'pending'`);
    await queryRunner.query(`CREATE INDEX "IDX_d71caa48c75cf9fbdc31742bb8" ON "video_deliveries" ("tenant_id", "video_id")`);
    await queryRunner.query(`ALTER TABLE "videos" ADD "delivery_target" jsonb`);
    await queryRunner.query(`ALTER TABLE "batches" ADD "delivery_target" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "batches" DROP COLUMN "delivery_target"`);
    await queryRunner.query(`ALTER TABLE "videos" DROP COLUMN "delivery_target"`);
    await queryRunner.query(`DROP TABLE "video_deliveries"`);
    await queryRunner.query(`DROP TABLE "destinations"`);
  }
}
