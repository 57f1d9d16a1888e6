import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of admin-backends.controller.ts, kept here so the controller reads as a list of routes. */
export const adminBackendsDocs = {
  adminCreateBackend: {
    summary: 'Register a GPU backend',
    operationId: 'adminCreateBackend',
    description:
      'Registers a GPU backend (Cog-compatible URL, models served, concurrency) in the routing table; dispatch uses it once its health check passes.',
  },
  adminListBackends: {
    summary: 'The routing table: every backend with its live state (health, circuit, slots in use)',
    operationId: 'adminListBackends',
    description:
      'Every backend, from configuration and registered, with its live health, circuit-breaker state and slots in use: what dispatch sees right now.',
  },
  adminGetBackend: {
    summary: 'Retrieve a backend with its live state',
    operationId: 'adminGetBackend',
    description: 'One backend with its live health, circuit and slots in use.',
  },
  adminUpdateBackend: {
    summary: 'Change a registered backend (config backends are read-only)',
    operationId: 'adminUpdateBackend',
    description: 'Changes a registered backend (URL, models, concurrency, enabled). Backends from configuration are read-only (409).',
  },
  adminDeleteBackend: {
    summary: 'Remove a registered backend; calls already running on it finish',
    operationId: 'adminDeleteBackend',
    description: 'Removes a registered backend from routing; calls already running on it finish. Backends from configuration cannot be removed.',
  },
} satisfies Record<string, ApiOperationOptions>;
