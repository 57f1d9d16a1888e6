import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of api-keys.controller.ts, kept here so the controller reads as a list of routes. */
export const apiKeysDocs = {
  listApiKeys: {
    summary: "List the tenant's API keys (never their secrets)",
    operationId: 'listApiKeys',
    description:
      "The calling tenant's keys: id, prefix, mode, scopes, caps, expiry, last use (never secrets); a test key sees the test keys only. Needs scope `keys:manage`.",
  },
  createApiKey: {
    summary: 'Create an API key; the secret is shown only in this response',
    description:
      'A key gets at most what the calling key has: its scopes, its mode, its expiry and its per-key caps (left out, they are inherited from it; asked beyond, 403 `exceeds_calling_key`). A key made by a key with a monthly budget shares that budget (the seconds either uses count against both, its own lower cap on top); a key made by one without a budget has a budget of its own.',
    operationId: 'createApiKey',
  },
  revokeApiKey: {
    summary: 'Revoke an API key; it is refused from the next request on',
    operationId: 'revokeApiKey',
    description:
      'Revokes a key: refused from the next request on. A key may revoke itself. Needs scope `keys:manage`; a test key cannot revoke a live key (403 `livemode_required`).',
  },
  rollApiKey: {
    summary: 'Replace the secret; the old one works for grace_seconds more',
    description:
      'The new key keeps the settings and the monthly budget (already used seconds included) of the one it replaces. The calling key must hold every scope of the rolled key, live mode to roll a live key, and no lower expiry or caps (else 403 `insufficient_scope`, `livemode_required` or `exceeds_calling_key`).',
    operationId: 'rollApiKey',
  },
} satisfies Record<string, ApiOperationOptions>;
