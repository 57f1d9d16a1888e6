import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../audit/index.js';
import { AuditService } from '../audit/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import { BurnPolicy } from './burn-policy.entity.js';
import { treasuryEnv } from './treasury.env.js';

/** The chain refuses a stake below this (AmountTooLow); a policy's minimum burn is never below it plus the fee reserve. */
export const CHAIN_MINIMUM_RAO = 2_000_000n;
const POLICY_LOCK = 0x706f6c69; // 'poli'
/** Version 1 takes effect from the start of time: every allocation made before policies were kept was made under the settings. */
const SEEDED_FROM = new Date(0);

export interface NewPolicy {
  shareBps: number;
  burnIntervalMs: number;
  maxSlippageBps: number;
  minBurnRao: bigint;
  /** Defaults to now; never in the past. */
  effectiveFrom?: Date;
  reason: string;
}

/**
 * The buy-and-burn policy as versioned, audited data. A change is a new version with the moment it
 * takes effect; the version in effect at a time is the one with the latest effective_from not after
 * it (the higher version on a tie), so a change scheduled for later takes effect when it says.
 */
@Injectable()
export class BurnPolicies {
  /** The version last read, for the burn schedule, which must answer without a query. */
  private last: BurnPolicy | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Version 1 from the TREASURY_* settings, once; allocations made before then that used the same share name it. */
  async seed(manager: EntityManager = this.db.manager): Promise<void> {
    const env = treasuryEnv.get();
    const inserted = (await manager.query(
      `INSERT INTO treasury_burn_policies (version, share_bps, burn_interval_ms, max_slippage_bps, min_burn_rao, effective_from, reason, created_by)
       VALUES (1, $1, $2, $3, $4, $5, 'seeded from the TREASURY_* settings', 'system') ON CONFLICT (version) DO NOTHING RETURNING version`,
      [
        env.TREASURY_BURN_SHARE_BPS,
        env.TREASURY_BURN_INTERVAL_MS,
        env.TREASURY_MAX_SLIPPAGE_BPS,
        (CHAIN_MINIMUM_RAO + env.TREASURY_FEE_RESERVE_RAO).toString(),
        SEEDED_FROM,
      ],
    )) as unknown[];
    // Allocations in a month closed meanwhile stay as they were frozen (policy version 0 in their leaves).
    if (inserted.length)
      await manager.query(
        `UPDATE treasury_allocations SET policy_version = 1 WHERE policy_version IS NULL AND share_bps = $1 AND created_at >= COALESCE((SELECT max(ends_at) FROM treasury_periods), '-infinity')`,
        [env.TREASURY_BURN_SHARE_BPS],
      );
  }

  /** The version in effect at `at` (now by default), read in the caller's transaction when given. */
  async inEffect(manager: EntityManager = this.db.manager, at: Date = new Date()): Promise<BurnPolicy> {
    let found = await this.newestFrom(manager, at);
    if (!found) {
      await this.seed(manager);
      found = await this.newestFrom(manager, at);
    }
    this.last = found!;
    return found!;
  }

  /** The version read last (the settings' values before any read): what the schedule uses between runs. */
  lastKnown(): { burnIntervalMs: number } {
    return this.last ?? { burnIntervalMs: treasuryEnv.get().TREASURY_BURN_INTERVAL_MS };
  }

  async list(): Promise<BurnPolicy[]> {
    await this.seed();
    return this.db.getRepository(BurnPolicy).find({ order: { version: 'DESC' } });
  }

  /** Adds the next version, audited in the same transaction, with the version it replaces as `before`. */
  async create(input: NewPolicy, actor: Actor): Promise<BurnPolicy> {
    const now = new Date();
    const effectiveFrom = input.effectiveFrom ?? now;
    // A second of slack for the caller's clock; anything older would reinterpret allocations already made.
    if (effectiveFrom.getTime() < now.getTime() - 1_000)
      throw new DomainError('policy_backdated', 'effective_from is in the past: allocations already made keep the version they used. Give a time from now on.');
    const floor = CHAIN_MINIMUM_RAO + treasuryEnv.get().TREASURY_FEE_RESERVE_RAO;
    if (input.minBurnRao < floor)
      throw new DomainError('validation_failed', `min_burn_rao must be at least ${floor} (the chain minimum plus TREASURY_FEE_RESERVE_RAO).`, {
        errors: [{ param: 'min_burn_rao', code: 'too_small', message: `must be at least ${floor}` }],
      });
    return this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [POLICY_LOCK]);
      await this.seed(manager);
      const before = await this.inEffect(manager);
      const [{ version }] = (await manager.query('SELECT COALESCE(max(version), 0) + 1 AS version FROM treasury_burn_policies')) as { version: number }[];
      const row = manager.getRepository(BurnPolicy).create({
        version,
        shareBps: input.shareBps,
        burnIntervalMs: input.burnIntervalMs,
        maxSlippageBps: input.maxSlippageBps,
        minBurnRao: input.minBurnRao.toString(),
        effectiveFrom: effectiveFrom < now ? now : effectiveFrom,
        reason: input.reason,
        createdBy: actor.id,
      });
      await manager.insert(BurnPolicy, row);
      const saved = await manager.getRepository(BurnPolicy).findOneByOrFail({ version });
      await this.audit.record(manager, actor, {
        tenantId: null,
        action: 'treasury_policy.created',
        targetType: 'burn_policy',
        targetId: String(version),
        before: presentPolicy(before),
        after: presentPolicy(saved),
      });
      return saved;
    });
  }

  private newestFrom(manager: EntityManager, at: Date): Promise<BurnPolicy | null> {
    return manager
      .getRepository(BurnPolicy)
      .createQueryBuilder('p')
      .where('p.effective_from <= :at', { at })
      .orderBy('p.effective_from', 'DESC')
      .addOrderBy('p.version', 'DESC')
      .getOne();
  }
}

export function presentPolicy(p: BurnPolicy) {
  return {
    object: 'burn_policy' as const,
    version: p.version,
    share_bps: p.shareBps,
    burn_interval_ms: p.burnIntervalMs,
    max_slippage_bps: p.maxSlippageBps,
    min_burn_rao: p.minBurnRao,
    effective_from: p.effectiveFrom.toISOString(),
    reason: p.reason,
    created_by: p.createdBy,
    created_at: p.createdAt.toISOString(),
  };
}
