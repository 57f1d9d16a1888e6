import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of moderation.controllers.ts, kept here so the controller reads as a list of routes. */
export const moderationDocs = {
  listModerationEvents: {
    summary: 'Submissions the content policy refused, newest first (none of them was charged)',
    operationId: 'listModerationEvents',
    description:
      'Your submissions that the content policy refused, newest first, with the category and when; none of them created a video or was charged. Cursor pagination.',
  },
  adminListModerationEvents: {
    summary: 'Refused submissions of every tenant (or one), with the rule that matched',
    operationId: 'adminListModerationEvents',
    description: 'Operators: refused submissions of every tenant (or `tenant_id`), newest first, with the rule that matched.',
  },
  adminGetTenantModeration: {
    summary: "A tenant's moderation settings",
    operationId: 'adminGetTenantModeration',
    description:
      "A tenant's moderation settings: its own blocklist (checked after the platform's), whether the external provider is used for it, and its fail mode (`null` follows the platform).",
  },
  adminPutTenantModeration: {
    summary: "Replace a tenant's moderation settings: its own blocklist, provider on or off, fail mode",
    operationId: 'adminPutTenantModeration',
    description: "Replaces a tenant's moderation settings (its own blocklist terms and patterns, provider on or off, fail mode open or closed); audited.",
  },
} satisfies Record<string, ApiOperationOptions>;
