import type { MigrationInterface, QueryRunner } from 'typeorm';

export class KeyLineage1795916128246 implements MigrationInterface {
  name = 'KeyLineage1795916128246';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Every existing key starts its own lineage (the rolled chains of the past are not recoverable).
    await queryRunner.query('ALTER TABLE "api_keys" ADD "lineage_id" text');
    await queryRunner.query('UPDATE "api_keys" SET "lineage_id" = "id"');
    await queryRunner.query('ALTER TABLE "api_keys" ALTER COLUMN "lineage_id" SET NOT NULL');
    await queryRunner.query('CREATE INDEX "IDX_4976dc75dd4d77109baab1b7ea" ON "api_keys"  ("lineage_id") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_4976dc75dd4d77109baab1b7ea"');
    await queryRunner.query('ALTER TABLE "api_keys" DROP COLUMN "lineage_id"');
  }
}
