import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 35: the trace context of the request that made a video, so the job the scheduler starts
 * later (a video waiting for a slot, a batch item) continues that trace (null while tracing is off).
 */
export class VideoTrace1796890000000 implements MigrationInterface {
  name = 'VideoTrace1796890000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" ADD "trace" jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "trace"');
  }
}
