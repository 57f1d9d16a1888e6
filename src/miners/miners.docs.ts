import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of miners.controller.ts, kept here so the controller reads as a list of routes. */
export const minersDocs = {
  adminGetMiners: {
    summary: 'The current miner ranking, the block it was read at, and miners left out with the reason',
    operationId: 'adminGetMiners',
    description:
      "The miner ranking read from the subnet: each miner's model commitment and score, the block it was read at, and the miners left out with the reason.",
  },
  listModels: {
    summary: 'The ranked models, the winner first, with what each renders: public facts from the subnet',
    operationId: 'listModels',
    description: 'No API key needed. New videos are made by rank 1 and checked against its capabilities.',
  },
} satisfies Record<string, ApiOperationOptions>;
