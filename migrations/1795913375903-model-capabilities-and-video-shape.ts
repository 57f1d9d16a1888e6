import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ModelCapabilitiesAndVideoShape1795913375903 implements MigrationInterface {
  name = 'ModelCapabilitiesAndVideoShape1795913375903';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "model_capabilities" ("id" text NOT NULL, "model" text NOT NULL, "capabilities" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_8b2cd096fabe6273500070dab65" UNIQUE ("model"), CONSTRAINT "PK_ff7e4dddf65865845e11fc632da" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('ALTER TABLE "videos" ADD "width" integer');
    await queryRunner.query('ALTER TABLE "videos" ADD "height" integer');
    await queryRunner.query('ALTER TABLE "videos" ADD "frames" integer');
    // Videos made before capabilities were asked for the size the old formula gave (short side = the
    // resolution, long side from the aspect ratio, rounded to even) and duration × fps frames.
    await queryRunner.query(`UPDATE "videos" SET
      "width" = CASE WHEN "aspect_ratio" = '16:9' THEN (CASE "resolution" WHEN '720p' THEN 1280 ELSE 854 END) ELSE (CASE "resolution" WHEN '720p' THEN 720 ELSE 480 END) END,
      "height" = CASE WHEN "aspect_ratio" = '9:16' THEN (CASE "resolution" WHEN '720p' THEN 1280 ELSE 854 END) ELSE (CASE "resolution" WHEN '720p' THEN 720 ELSE 480 END) END,
      "frames" = "duration_seconds" * "fps"`);
    for (const column of ['width', 'height', 'frames']) await queryRunner.query(`ALTER TABLE "videos" ALTER COLUMN "${column}" SET NOT NULL`);
    await queryRunner.query('ALTER TABLE "videos" ADD "negative_prompt" text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "negative_prompt"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "frames"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "height"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "width"');
    await queryRunner.query('DROP TABLE "model_capabilities"');
  }
}
