import { Tenant } from '../../tenants/tenant.entity.js';
import { ApiKey } from '../../keys/api-key.entity.js';
import { IdempotencyKey } from '../../idempotency/idempotency-key.entity.js';
import { StoredFile } from '../../files/file.entity.js';
import { Video } from '../../videos/video.entity.js';
import { UsageRecord } from '../../usage/usage-record.entity.js';
import { webhookEntities } from '../../webhooks/webhook-entities.js';
import { destinationEntities } from '../../destinations/destination-entities.js';
import { GpuBackend } from '../../backends/gpu-backend.entity.js';
import { MinerSnapshot } from '../../miners/miner-snapshot.entity.js';
import { KingReading } from '../../miners/king-reading.entity.js';
import { Plan } from '../../plans/plan.entity.js';
import { PlanVersion } from '../../plans/plan-version.entity.js';
import { contractEntities } from '../../contracts/contract-entities.js';
import { Operator } from '../../operators/operator.entity.js';
import { OperatorKey } from '../../operators/operator-key.entity.js';
import { AuditEntry } from '../../audit/audit-entry.entity.js';
import { ModelCapability } from '../../model-capabilities/model-capability.entity.js';
import { billingEntities } from '../../billing/billing-entities.js';
import { treasuryEntities } from '../../treasury/treasury-entities.js';
import { moderationEntities } from '../../moderation/moderation-entities.js';
import { pricingEntities } from '../../usage/pricing-entities.js';
import { Batch } from '../../batches/index.js';
import { rolloutEntities } from '../../rollout/rollout-entities.js';
import { Lease } from '../../platform/database/lease.entity.js';
import { peopleEntities } from '../../people/people-entities.js';
import { OutboundEmail } from '../../mail/outbound-email.entity.js';

/** Every entity, listed once: the app, the migration runner and the drift check share it. */
export const entities = [
  Tenant,
  ApiKey,
  IdempotencyKey,
  StoredFile,
  Video,
  UsageRecord,
  Plan,
  PlanVersion,
  ...contractEntities,
  Operator,
  OperatorKey,
  AuditEntry,
  GpuBackend,
  MinerSnapshot,
  KingReading,
  ModelCapability,
  ...webhookEntities,
  ...destinationEntities,
  ...billingEntities,
  ...treasuryEntities,
  Batch,
  ...pricingEntities,
  ...moderationEntities,
  ...rolloutEntities,
  Lease,
  ...peopleEntities,
  OutboundEmail,
];
