import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The demand gauge counts open videos at every scrape: a partial index keeps that off the finished rows. */
export class VideosOpenIndex1796640000000 implements MigrationInterface {
  name = 'VideosOpenIndex1796640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_videos_open" ON "videos" ("livemode", "status") WHERE "status" IN ('queued', 'running')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_videos_open"');
  }
}
