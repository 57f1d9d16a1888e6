import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of support-videos.controller.ts. */
export const supportVideosDocs = {
  adminListTenantVideos: {
    summary: "A tenant's videos, for support: filter by status and error code",
    operationId: 'adminListTenantVideos',
    description:
      "Support (and admins): one tenant's videos as the tenant would list them, newest first, filtered by `status` and `error_code`, on its live side or (`mode=test`) its sandbox. Cursor pagination. Each read is audited (`tenant.videos_read`): it shows the customer's prompts.",
  },
  adminTenantVideoFailures: {
    summary: "A tenant's failed videos counted by error code",
    operationId: 'adminTenantVideoFailures',
    description:
      "Support (and admins): the tenant's failed videos since `since` (default 30 days) counted by error code, most frequent first, each with its latest video and message; with the failed and total counts for a failure rate. Audited (`tenant.video_failures_read`).",
  },
} satisfies Record<string, ApiOperationOptions>;
