import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MinerSnapshots1795349694833 implements MigrationInterface {
  name = 'MinerSnapshots1795349694833';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "miner_snapshots" ("id" text NOT NULL, "netuid" integer NOT NULL, "block_number" bigint NOT NULL, "block_hash" text NOT NULL, "tempo" integer NOT NULL, "ranking" jsonb NOT NULL, "unranked" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_882c9b189261832482028b2a4a6" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_fb02a659356357b1122aa8a516" ON "miner_snapshots"  ("netuid", "id") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_fb02a659356357b1122aa8a516"');
    await queryRunner.query('DROP TABLE "miner_snapshots"');
  }
}
