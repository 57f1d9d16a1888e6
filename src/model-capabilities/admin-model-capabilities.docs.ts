import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of admin-model-capabilities.controller.ts, kept here so the controller reads as a list of routes. */
export const adminModelCapabilitiesDocs = {
  adminPutModelCapabilities: {
    summary: "Set a model's capabilities (replaces the defaults from code for that model)",
    operationId: 'adminPutModelCapabilities',
    description: '201 when the override is new, 200 when it replaced one.',
  },
  adminListModelCapabilities: {
    summary: 'The overrides operators have set',
    operationId: 'adminListModelCapabilities',
    description:
      'The capability overrides operators have stored per model (durations, resolutions, fps, negative prompts); models without one use the defaults from code.',
  },
  adminDeleteModelCapabilities: {
    summary: 'Remove an override: the model goes back to the defaults from code',
    operationId: 'adminDeleteModelCapabilities',
    description: 'Removes a stored override: the model goes back to the capabilities defined in code. Videos already accepted keep their shape.',
  },
} satisfies Record<string, ApiOperationOptions>;
