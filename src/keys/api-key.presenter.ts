import type { ApiKey } from './api-key.entity.js';
import type { CreateApiKeyDto } from './dto/create-api-key.dto.js';

export const presentApiKey = (k: ApiKey) => ({
  id: k.id,
  object: 'api_key' as const,
  tenant_id: k.tenantId,
  name: k.name,
  mode: k.mode,
  secret_start: k.secretStart,
  scopes: k.scopes,
  rate_limit_per_minute: k.rateLimitPerMinute,
  monthly_video_seconds: k.monthlyVideoSeconds,
  api_version: k.apiVersion,
  expires_at: k.expiresAt?.toISOString() ?? null,
  revoked_at: k.revokedAt?.toISOString() ?? null,
  last_used_at: k.lastUsedAt?.toISOString() ?? null,
  created_by: k.createdBy,
  created_at: k.createdAt.toISOString(),
});

/** The service's key options from a request body; unset scopes default to what the caller may grant. */
export function keyOptions(body: CreateApiKeyDto, defaultScopes: string[]) {
  return {
    mode: body.mode ?? 'live',
    name: body.name,
    scopes: body.scopes ?? defaultScopes,
    expiresAt: body.expires_at ?? null,
    rateLimitPerMinute: body.rate_limit_per_minute ?? null,
    monthlyVideoSeconds: body.monthly_video_seconds ?? null,
    apiVersion: body.api_version,
  } as const;
}
