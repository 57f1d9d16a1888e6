import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every reading of who is king: each validator dashboard fetched, each round's verdict, each chain derivation. */
export class KingReadings1796620000000 implements MigrationInterface {
  name = 'KingReadings1796620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "king_readings" ("id" text NOT NULL, "round_id" text NOT NULL, "source" text NOT NULL, "url" text, "outcome" text NOT NULL, "reason" text, "detail" text, "king" jsonb, "live_duels" jsonb, "block_number" bigint, "ambiguous" boolean NOT NULL DEFAULT false, "answered" integer, "agreeing" integer, "fetched_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f5a0af43d341e6b8565c44cf1ad" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_4ef4c658d2924afc385cb37a5a" ON "king_readings"  ("source", "id") ');
    await queryRunner.query('CREATE INDEX "IDX_king_readings_round" ON "king_readings"  ("round_id") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_king_readings_round"');
    await queryRunner.query('DROP INDEX "public"."IDX_4ef4c658d2924afc385cb37a5a"');
    await queryRunner.query('DROP TABLE "king_readings"');
  }
}
