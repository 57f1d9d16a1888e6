import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of public-burns.controller.ts, kept here so the controller reads as a list of routes. */
export const publicBurnsDocs = {
  publicListBurns: {
    summary: 'Burns on chain, newest first, with totals: block, extrinsic, TAO spent, alpha burned',
    operationId: 'publicListBurns',
    description: 'Public proof of burn, no key needed: every buy-and-burn on chain with block, extrinsic, TAO spent and alpha burned, and the totals.',
  },
} satisfies Record<string, ApiOperationOptions>;
