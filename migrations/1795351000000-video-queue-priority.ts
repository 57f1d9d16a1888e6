import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The plan's queue priority travels with the video, so the stale-video sweep re-enqueues with it. */
export class VideoQueuePriority1795351000000 implements MigrationInterface {
  name = 'VideoQueuePriority1795351000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" ADD "queue_priority" integer');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "videos" DROP COLUMN "queue_priority"');
  }
}
