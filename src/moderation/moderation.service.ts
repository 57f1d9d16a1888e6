import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../platform/http/domain-error.js';
import { newId } from '../platform/http/ids.js';
import { paginate, type ListQuery } from '../platform/http/pagination.js';
import { Blocklist } from './blocklist.js';
import { HttpModerationProvider } from './http-moderation-provider.js';
import type { ModerationInput, ModerationProvider, ProviderVerdict } from './moderation-provider.js';
import { ProviderBreaker } from './provider-breaker.js';
import { ModerationEvent, type ModerationSource } from './moderation-event.entity.js';
import { TenantModerationSettings } from './moderation-settings.entity.js';
import { moderationEnv } from './moderation.env.js';
import { KeyCache, type OwnerCache } from '../keys/index.js';

/** Who submits: the ids the refusal is recorded under. */
export interface Submitter {
  tenantId: string;
  keyId: string | null;
  requestId: string | null;
}

const COMPILED_CACHE_MAX = 500;

type Refusal = { category: string; rule: string | null; param: 'prompt' | 'negative_prompt' | 'image' };

/** The prompt first, then the negative prompt (a negative prompt is text the model reads too). */
function firstHit(list: Blocklist, input: ModerationInput): Refusal | null {
  const prompt = list.match(input.prompt);
  if (prompt) return { ...prompt, param: 'prompt' };
  const negative = input.negativePrompt ? list.match(input.negativePrompt) : null;
  return negative ? { ...negative, param: 'negative_prompt' } : null;
}

/**
 * Checks a submission before anything is reserved, stored or queued, so a refusal costs the tenant
 * nothing: first the platform blocklist, then the tenant's own, then the external provider when
 * configured. A refusal is recorded and answered `422 content_policy_violation` with its category.
 */
@Injectable()
export class ModerationService {
  private readonly logger = new Logger(ModerationService.name);
  private readonly platform: Blocklist;
  private readonly provider: ModerationProvider | null;
  private readonly breaker: ProviderBreaker;
  /** Tenants' compiled lists by their JSON, so a submit does not recompile them. */
  private readonly compiled = new Map<string, Blocklist>();
  /** Every submit reads them: kept beside the tenant's cached keys, dropped on every replica when they are saved. */
  private readonly settingsCache: OwnerCache<TenantModerationSettings | null>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly keys: KeyCache,
  ) {
    this.settingsCache = keys.companion<TenantModerationSettings | null>();
    const env = moderationEnv.get();
    this.platform = new Blocklist(env.MODERATION_BLOCKLIST);
    this.provider = env.MODERATION_PROVIDER_URL ? new HttpModerationProvider(env.MODERATION_PROVIDER_URL, env.MODERATION_PROVIDER_API_KEY) : null;
    this.breaker = new ProviderBreaker(env.MODERATION_BREAKER_THRESHOLD, env.MODERATION_BREAKER_OPEN_MS);
  }

  async check(who: Submitter, input: ModerationInput): Promise<void> {
    const settings = await this.submitterSettings(who.tenantId);
    const platformHit = firstHit(this.platform, input);
    if (platformHit) return this.refuse(who, input, 'blocklist', platformHit);
    const tenantHit = settings && Object.keys(settings.blocklist).length ? firstHit(this.tenantList(settings.blocklist), input) : null;
    if (tenantHit) return this.refuse(who, input, 'tenant_blocklist', tenantHit);
    if (!this.provider || settings?.providerEnabled === false) return;
    await this.viaProvider(who, input, settings, 'prompt');
  }

  /** Whether `checkImage` sends images anywhere; callers skip reading an image that would not be looked at. */
  get screensImages(): boolean {
    return Boolean(this.provider) && moderationEnv.get().MODERATION_PROVIDER_IMAGES;
  }

  /** The start image, to the provider with the prompt, when MODERATION_PROVIDER_IMAGES is on (blocklists do not read images). */
  async checkImage(who: Submitter, input: ModerationInput & { image: NonNullable<ModerationInput['image']> }): Promise<void> {
    if (!this.screensImages) return;
    const settings = await this.submitterSettings(who.tenantId);
    if (settings?.providerEnabled === false) return;
    await this.viaProvider(who, input, settings, 'image');
  }

  private async viaProvider(who: Submitter, input: ModerationInput, settings: TenantModerationSettings | null, param: Refusal['param']): Promise<void> {
    const verdict = await this.askProvider(input);
    if (verdict === 'unavailable') {
      const failMode = settings?.failMode ?? moderationEnv.get().MODERATION_FAIL_MODE;
      if (failMode === 'open') return;
      throw new DomainError(
        'moderation_unavailable',
        'Content moderation is unavailable right now; nothing was created or charged. Retry shortly.',
        {},
        { 'Retry-After': '5' },
      );
    }
    if (verdict.flagged) return this.refuse(who, input, 'provider', { category: verdict.category, rule: null, param });
  }

  /** The provider's answer, or `unavailable` when it failed, timed out or its breaker is open. */
  private async askProvider(input: ModerationInput): Promise<ProviderVerdict | 'unavailable'> {
    if (!this.breaker.admit()) return 'unavailable';
    try {
      const verdict = await this.provider!.check(input, AbortSignal.timeout(moderationEnv.get().MODERATION_PROVIDER_TIMEOUT_MS));
      this.breaker.success();
      return verdict;
    } catch (e) {
      this.breaker.failure();
      this.logger.warn(`moderation provider failed (breaker ${this.breaker.state}): ${(e as Error).message}`);
      return 'unavailable';
    }
  }

  private tenantList(lists: Record<string, string[]>): Blocklist {
    const key = JSON.stringify(lists);
    let list = this.compiled.get(key);
    if (!list) {
      if (this.compiled.size >= COMPILED_CACHE_MAX) this.compiled.clear();
      list = new Blocklist(lists);
      this.compiled.set(key, list);
    }
    return list;
  }

  private async refuse(who: Submitter, input: ModerationInput, source: ModerationSource, hit: Refusal): Promise<never> {
    const event = await this.db.getRepository(ModerationEvent).save({
      id: newId('moderationEvent'),
      tenantId: who.tenantId,
      apiKeyId: who.keyId,
      category: hit.category,
      source,
      rule: hit.rule,
      prompt: input.prompt,
      requestId: who.requestId,
    });
    throw new DomainError('content_policy_violation', `The prompt was refused by the content policy (${hit.category}). Nothing was created or charged.`, {
      category: hit.category,
      moderation_event: event.id,
      errors: [{ param: hit.param, code: 'content_policy_violation', message: `refused: ${hit.category}` }],
    });
  }

  listEvents(query: ListQuery, tenantId?: string) {
    const qb = this.db.getRepository(ModerationEvent).createQueryBuilder('m');
    if (tenantId) qb.where('m.tenant_id = :tenantId', { tenantId });
    return paginate(qb, query);
  }

  settingsOf(tenantId: string): Promise<TenantModerationSettings | null> {
    return this.db.getRepository(TenantModerationSettings).findOneBy({ tenantId });
  }

  async saveSettings(settings: Omit<TenantModerationSettings, 'updatedAt'>): Promise<TenantModerationSettings> {
    await this.db.getRepository(TenantModerationSettings).upsert(settings, ['tenantId']);
    await this.keys.invalidate(settings.tenantId);
    return (await this.settingsOf(settings.tenantId))!;
  }

  private submitterSettings(tenantId: string): Promise<TenantModerationSettings | null> {
    return this.settingsCache.get(tenantId, () => this.settingsOf(tenantId));
  }
}
