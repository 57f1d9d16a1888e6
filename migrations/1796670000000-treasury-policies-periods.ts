import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 30 items 4–6: the burn policy as versioned data (every allocation names its version),
 * closed periods with their frozen statements, and the period each burn anchors on chain. The
 * triggers back up the services: nothing dated up to the end of the last closed period changes
 * (allocations by created_at, fundings by received_at, burns by created_at — a burn's stored
 * verification may still be refreshed), closed periods and policy versions are never rewritten.
 * SQLSTATE LP001 carries the stable code `period_closed`.
 */
export class TreasuryPoliciesPeriods1796670000000 implements MigrationInterface {
  name = 'TreasuryPoliciesPeriods1796670000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "treasury_burn_anchors" ("burn_id" text NOT NULL, "period" text NOT NULL, "statement_sha256" character(64) NOT NULL, "merkle_root" character(64) NOT NULL, CONSTRAINT "PK_f86df5600978dcdf0682be0454b" PRIMARY KEY ("burn_id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_5082f3905bc7aafe489d30d5fa" ON "treasury_burn_anchors"  ("period") ');
    await queryRunner.query(
      'CREATE TABLE "treasury_burn_policies" ("version" integer NOT NULL, "share_bps" integer NOT NULL, "burn_interval_ms" integer NOT NULL, "max_slippage_bps" integer NOT NULL, "min_burn_rao" bigint NOT NULL, "effective_from" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dadf43f2c7037f7d56ccf82c51f" PRIMARY KEY ("version"))',
    );
    await queryRunner.query(
      'CREATE TABLE "treasury_periods" ("period" text NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "statement_json" text NOT NULL, "statement_csv" text NOT NULL, "statement_sha256" character(64) NOT NULL, "merkle_root" character(64) NOT NULL, "allocation_count" integer NOT NULL, "closed_by" text NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_02e0c538d7cf857ff6a41d53228" PRIMARY KEY ("period"))',
    );
    await queryRunner.query('ALTER TABLE "treasury_allocations" ADD "policy_version" integer');
    await queryRunner.query(`CREATE FUNCTION treasury_refuse_closed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        closed timestamptz := (SELECT max(ends_at) FROM treasury_periods);
        dated timestamptz;
      BEGIN
        IF closed IS NULL THEN RETURN COALESCE(NEW, OLD); END IF;
        IF TG_OP <> 'INSERT' THEN
          EXECUTE format('SELECT ($1).%I', TG_ARGV[0]) INTO dated USING OLD;
          IF dated < closed AND (TG_OP = 'DELETE' OR (to_jsonb(OLD) - 'verification' - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'verification' - 'updated_at')) THEN
            RAISE EXCEPTION 'period_closed: % dated % is in a closed period (closed through %)', TG_TABLE_NAME, dated, closed USING ERRCODE = 'LP001';
          END IF;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          EXECUTE format('SELECT ($1).%I', TG_ARGV[0]) INTO dated USING NEW;
          IF dated < closed AND (TG_OP = 'INSERT' OR (to_jsonb(OLD) - 'verification' - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'verification' - 'updated_at')) THEN
            RAISE EXCEPTION 'period_closed: % dated % is in a closed period (closed through %)', TG_TABLE_NAME, dated, closed USING ERRCODE = 'LP001';
          END IF;
        END IF;
        RETURN COALESCE(NEW, OLD);
      END $$`);
    for (const [table, column] of [
      ['treasury_allocations', 'created_at'],
      ['treasury_fundings', 'received_at'],
      ['treasury_burns', 'created_at'],
    ]) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_closed_period" BEFORE INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION treasury_refuse_closed('${column}')`,
      );
    }
    await queryRunner.query(`CREATE FUNCTION treasury_refuse_closed_link() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT b.created_at < (SELECT max(ends_at) FROM treasury_periods) FROM treasury_burns b WHERE b.id = COALESCE(OLD.burn_id, NEW.burn_id)) THEN
          RAISE EXCEPTION 'period_closed: the allocations of a burn dated in a closed period are frozen' USING ERRCODE = 'LP001';
        END IF;
        RETURN COALESCE(NEW, OLD);
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "treasury_burn_allocations_closed_period" BEFORE UPDATE OR DELETE ON "treasury_burn_allocations" FOR EACH ROW EXECUTE FUNCTION treasury_refuse_closed_link()`,
    );
    await queryRunner.query(`CREATE FUNCTION treasury_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are never changed or deleted', TG_TABLE_NAME USING ERRCODE = 'LP001';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "treasury_periods_frozen" BEFORE UPDATE OR DELETE ON "treasury_periods" FOR EACH ROW EXECUTE FUNCTION treasury_refuse_rewrite()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "treasury_burn_policies_frozen" BEFORE UPDATE OR DELETE ON "treasury_burn_policies" FOR EACH ROW EXECUTE FUNCTION treasury_refuse_rewrite()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "treasury_burn_policies_frozen" ON "treasury_burn_policies"');
    await queryRunner.query('DROP TRIGGER "treasury_periods_frozen" ON "treasury_periods"');
    await queryRunner.query('DROP TRIGGER "treasury_burn_allocations_closed_period" ON "treasury_burn_allocations"');
    for (const table of ['treasury_allocations', 'treasury_fundings', 'treasury_burns'])
      await queryRunner.query(`DROP TRIGGER "${table}_closed_period" ON "${table}"`);
    await queryRunner.query('DROP FUNCTION treasury_refuse_rewrite()');
    await queryRunner.query('DROP FUNCTION treasury_refuse_closed_link()');
    await queryRunner.query('DROP FUNCTION treasury_refuse_closed()');
    await queryRunner.query('ALTER TABLE "treasury_allocations" DROP COLUMN "policy_version"');
    await queryRunner.query('DROP TABLE "treasury_periods"');
    await queryRunner.query('DROP TABLE "treasury_burn_policies"');
    await queryRunner.query('DROP INDEX "public"."IDX_5082f3905bc7aafe489d30d5fa"');
    await queryRunner.query('DROP TABLE "treasury_burn_anchors"');
  }
}
