import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of account.controller.ts, kept here so the controller reads as a list of routes. */
export const accountDocs = {
  getMe: {
    summary: 'The tenant, its plan and effective limits, and the calling key',
    operationId: 'getMe',
    description:
      "Who is calling: the tenant (id, name, status), its plan and the effective limits after contract overrides, and the calling key (id, mode, scopes, own caps). A cheap way to check a key. `limits` are the calling key's mode's: a test key shows test mode's own rate, concurrency and monthly seconds (`livemode: false`).",
  },
  getUsage: {
    summary: "A month's usage against the limits, with its cost (this month unless `period`), optionally grouped",
    operationId: 'getUsage',
    description:
      "Video-seconds used and reserved in a calendar month (UTC; this month unless `period=YYYY-MM`), videos by status, cost in minor units, and the limits they count against, for the calling key's mode (live or test, counted apart: `livemode` says which, and the limits are that mode's); `group_by=day|api_key|resolution` adds a breakdown.",
  },
} satisfies Record<string, ApiOperationOptions>;
