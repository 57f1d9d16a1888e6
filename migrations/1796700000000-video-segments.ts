import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chained videos: the segments a long video or a storyboard is rendered as (null on a single-clip
 * video); and the post-production a video's render goes through (a crop or pad to a ratio the
 * model does not render; null: none). Nullable columns: nothing reads them but this release.
 */
export class VideoSegments1796700000000 implements MigrationInterface {
  name = 'VideoSegments1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" ADD "segments" jsonb');
    await queryRunner.query('ALTER TABLE "videos" ADD "post_production" jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "post_production"');
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "segments"');
  }
}
