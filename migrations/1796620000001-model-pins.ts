import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A video's pinned model (`model: "<repo>@<digest>"`) and the model a batch's items render with; null: follow the king. */
export class ModelPins1796620000001 implements MigrationInterface {
  name = 'ModelPins1796620000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" ADD "model_pin" jsonb');
    await queryRunner.query('ALTER TABLE "batches" ADD "model" jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "batches" DROP COLUMN "model"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "model_pin"');
  }
}
