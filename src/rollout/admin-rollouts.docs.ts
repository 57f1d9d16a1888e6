import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of admin-rollouts.controller.ts, kept here so the controller reads as a list of routes. */
export const adminRolloutsDocs = {
  adminListRollouts: {
    summary: 'Every model digest being rolled out, served, kept or drained, newest first',
    operationId: 'adminListRollouts',
    description:
      'One state machine per digest (`desired → fetching → loading → warming → ready → serving → draining → retired`, and `failed`), with what its backends report now. Retired digests are left out.',
  },
  adminListDeployments: {
    summary: 'What operators must deploy, keep and remove (the manual actuator)',
    operationId: 'adminListDeployments',
    description:
      'With `ROLLOUT_ACTUATOR=manual`, operators run the GPU backends: this lists each digest to deploy (register its backends with `model_revision` set to the digest), keep running, or remove. The same notices go to `OPERATOR_WEBHOOK_URL`.',
  },
  adminGetRollout: {
    summary: "One digest's rollout",
    operationId: 'adminGetRollout',
    description: 'The machine of one digest (`sha256:…` or `hf:…`), retired or not.',
  },
  adminHoldRollout: {
    summary: 'Hold a digest: it is not made the served model until released',
    operationId: 'adminHoldRollout',
    description: 'The previous king keeps serving; the held digest keeps loading. Admin only; audited.',
  },
  adminReleaseRollout: {
    summary: 'Release a hold',
    operationId: 'adminReleaseRollout',
    description: 'The digest is made the served model again once the rules allow (the king, ROLLOUT_MIN_READY_BACKENDS READY). Admin only; audited.',
  },
  adminForceRollout: {
    summary: 'Force the king over with one READY backend',
    operationId: 'adminForceRollout',
    description:
      'The crowned digest takes over as soon as one backend is READY and reports it, instead of ROLLOUT_MIN_READY_BACKENDS (never with none: there is no window without a model). Clears a hold. Admin only; audited.',
  },
  adminRollbackRollout: {
    summary: 'Roll back: a kept earlier king serves again at once',
    operationId: 'adminRollbackRollout',
    description:
      'The digest (one of the last ROLLOUT_RETAIN_KINGS kings, with a backend READY) becomes the served model in one transaction; the digest it replaces is held so the loop does not switch back (release it to roll forward). Sends `model.changed`. Admin only; audited.',
  },
} satisfies Record<string, ApiOperationOptions>;
