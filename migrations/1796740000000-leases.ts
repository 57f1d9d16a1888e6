import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Singleton loops hold a lease row instead of a session advisory lock (which PgBouncer's transaction pooling breaks). */
export class Leases1796740000000 implements MigrationInterface {
  name = 'Leases1796740000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "leases" ("name" text NOT NULL, "owner" text NOT NULL, "fence" bigint NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_leases" PRIMARY KEY ("name"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "leases"`);
  }
}
