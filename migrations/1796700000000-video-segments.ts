import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Chained videos: the segments a long video or a storyboard is rendered as (null on a single-clip video). A nullable column: nothing reads it but this release. */
export class VideoSegments1796700000000 implements MigrationInterface {
  name = 'VideoSegments1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" ADD "segments" jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "segments"');
  }
}
