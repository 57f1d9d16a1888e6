import { EnvError } from '../platform/config/define-env.js';
import { appEnv } from '../platform/config/app.env.js';
import { databaseEnv } from '../platform/database/database.env.js';
import { queueEnv } from '../platform/queue/queue.env.js';
import { redisEnv } from '../platform/redis/redis.env.js';
import { storageEnv } from '../platform/storage/storage.env.js';
import { mediaEnv } from '../platform/media/media.env.js';
import { authEnv } from '../core/auth/auth.env.js';
import { videosEnv } from '../videos/videos.env.js';
import { webhooksEnv } from '../webhooks/webhooks.env.js';
import { destinationsEnv } from '../destinations/index.js';
import { backendsEnv } from '../backends/backends.env.js';
import { modelsEnv } from '../miners/models.env.js';
import { kingEnv } from '../miners/king.env.js';
import { chainEnv } from '../chain/chain.env.js';
import { billingEnv } from '../billing/billing.env.js';
import { limitsEnv } from '../limits/limits.env.js';
import { keysEnv } from '../keys/keys.env.js';
import { filesEnv } from '../files/files.env.js';
import { treasuryEnv } from '../treasury/treasury.env.js';
import { batchesEnv } from '../batches/index.js';
import { tracingEnv } from '../platform/tracing/tracing.env.js';
import { corsEnv } from '../platform/http/cors.env.js';
import { idempotencyEnv } from '../idempotency/idempotency.env.js';
import { retentionEnv } from '../retention/retention.env.js';
import { moderationEnv } from '../moderation/moderation.env.js';
import { pricingEnv } from '../usage/pricing.env.js';
import { sandboxLimitsEnv } from '../core/limits/sandbox-limits.env.js';
import { kubernetesActuatorEnv } from '../rollout/actuators/kubernetes/kubernetes-actuator.env.js';
import { prefetchEnv } from '../rollout/actuators/kubernetes/prefetch.env.js';
import { rolloutEnv } from '../rollout/index.js';
import { consoleEnv } from '../console/index.js';
import { peopleEnv } from '../people/people.env.js';
import { operatorSsoEnv } from '../people/operator-sso.env.js';
import { mailEnv } from '../mail/mail.env.js';

export const ALL_ENVS = [
  appEnv,
  databaseEnv,
  redisEnv,
  queueEnv,
  storageEnv,
  mediaEnv,
  authEnv,
  keysEnv,
  filesEnv,
  videosEnv,
  limitsEnv,
  backendsEnv,
  modelsEnv,
  kingEnv,
  chainEnv,
  webhooksEnv,
  destinationsEnv,
  billingEnv,
  treasuryEnv,
  tracingEnv,
  corsEnv,
  idempotencyEnv,
  retentionEnv,
  batchesEnv,
  pricingEnv,
  moderationEnv,
  sandboxLimitsEnv,
  kubernetesActuatorEnv,
  prefetchEnv,
  rolloutEnv,
  consoleEnv,
  peopleEnv,
  operatorSsoEnv,
  mailEnv,
];

/** Validates every module's env at once so one start-up reports all bad variables. */
export function validateAllEnv(): void {
  const problems: string[] = [];
  for (const env of ALL_ENVS) {
    try {
      env.reload();
    } catch (e) {
      if (e instanceof EnvError) problems.push(e.message);
      else throw e;
    }
  }
  if (problems.length) throw new EnvError(problems.join('\n'));
}

export function exitOnEnvError(e: unknown): never {
  if (e instanceof EnvError) {
    process.stderr.write(`${e.message}\nSee .env.example for every variable.\n`);
    process.exit(78);
  }
  throw e;
}
