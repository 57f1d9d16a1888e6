import type { ModerationEvent } from './moderation-event.entity.js';
import type { TenantModerationSettings } from './moderation-settings.entity.js';
import type { AdminModerationEventObject, ModerationEventObject, ModerationSettingsObject } from './dto/moderation.objects.js';

/** The tenant's view: the category, not the rule (a term list is not something to probe for). */
export const presentEvent = (e: ModerationEvent): ModerationEventObject => ({
  id: e.id,
  object: 'moderation_event',
  category: e.category,
  source: e.source,
  prompt: e.prompt,
  request_id: e.requestId,
  created_at: e.createdAt.toISOString(),
});

export const presentAdminEvent = (e: ModerationEvent): AdminModerationEventObject => ({
  ...presentEvent(e),
  tenant_id: e.tenantId,
  api_key_id: e.apiKeyId,
  rule: e.rule,
});

export const presentSettings = (tenantId: string, s: TenantModerationSettings | null): ModerationSettingsObject => ({
  object: 'moderation_settings',
  tenant_id: tenantId,
  blocklist: s?.blocklist ?? {},
  provider_enabled: s?.providerEnabled ?? null,
  fail_mode: s?.failMode ?? null,
  updated_at: s?.updatedAt.toISOString() ?? null,
});
