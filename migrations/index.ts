import type { MigrationInterface } from 'typeorm';
import { Initial1795348805559 } from './1795348805559-initial.js';
import { TenancyPlansAudit1795349300616 } from './1795349300616-tenancy-plans-audit.js';
import { GpuBackendsAndProvenance1795349393804 } from './1795349393804-gpu-backends-and-provenance.js';
import { MinerSnapshots1795349694833 } from './1795349694833-miner-snapshots.js';
import { Webhooks1795350307835 } from './1795350307835-webhooks.js';
import { VideoQueuePriority1795351000000 } from './1795351000000-video-queue-priority.js';
import { Treasury1795912387777 } from './1795912387777-treasury.js';
import { RevenueLedger1795913105334 } from './1795913105334-revenue-ledger.js';
import { ModelCapabilitiesAndVideoShape1795913375903 } from './1795913375903-model-capabilities-and-video-shape.js';
import { StripeBilling1795913904538 } from './1795913904538-stripe-billing.js';
import { KeyLineage1795916128246 } from './1795916128246-key-lineage.js';
import { BillingWriteScope1795920373879 } from './1795920373879-billing-write-scope.js';
import { StripeEventOutcome1795920424190 } from './1795920424190-stripe-event-outcome.js';
import { Batches1795920881805 } from './1795920881805-batches.js';
import { IdempotencyLock1795921000000 } from './1795921000000-idempotency-lock.js';
import { RetentionIndexes1795921000001 } from './1795921000001-retention-indexes.js';
import { OutputsRetentionModeration1795921000002 } from './1795921000002-outputs-retention-moderation.js';
import { CostsAlertsCredits1795921000100 } from './1795921000100-costs-alerts-credits.js';
import { LivemodeFilesEndpoints1795921000300 } from './1795921000300-livemode-files-endpoints.js';
import { WebhookSecretPerMode1795921000425 } from './1795921000425-webhook-secret-per-mode.js';
import { SelfServePlansSubscriptions1795921000725 } from './1795921000725-self-serve-plans-subscriptions.js';
import { MeterStepsCreditPayments1796554985534 } from './1796554985534-meter-steps-credit-payments.js';
import { VideosOpenIndex1796640000000 } from './1796640000000-videos-open-index.js';
import { DropBatchLimits1796600000000 } from './1796600000000-drop-batch-limits.js';
import { ModelRollouts1796630000000 } from './1796630000000-model-rollouts.js';
import { KingReadings1796620000000 } from './1796620000000-king-readings.js';
import { ModelPins1796620000001 } from './1796620000001-model-pins.js';
import { TreasuryCurrencyProxy1796660000000 } from './1796660000000-treasury-currency-proxy.js';
import { TreasuryPoliciesPeriods1796670000000 } from './1796670000000-treasury-policies-periods.js';
import { ApiKeyVersion1796770000000 } from './1796770000000-api-key-version.js';
import { PlansAsDataContracts1796650000000 } from './1796650000000-plans-as-data-contracts.js';
import { ContractStripeSync1796650000100 } from './1796650000100-contract-stripe-sync.js';
import { Leases1796740000000 } from './1796740000000-leases.js';
import { CatalogueUploads1796710000000 } from './1796710000000-catalogue-uploads.js';
import { VideoSegments1796700000000 } from './1796700000000-video-segments.js';
import { PeopleSessionsMail1796720000000 } from './1796720000000-people-sessions-mail.js';
import { VideoQueue1796800000000 } from './1796800000000-video-queue.js';
import { VideoQueueIndexes1796800000001 } from './1796800000001-video-queue-indexes.js';
import { SsoConnections1796720000100 } from './1796720000100-sso-connections.js';
import { Destinations1796810000000 } from './1796810000000-destinations.js';
import { VideoGroups1796820000000 } from './1796820000000-video-groups.js';
import { ClaimLinks1796830000000 } from './1796830000000-claim-links.js';
import { SsoDomains1796830000100 } from './1796830000100-sso-domains.js';
import { BatchManifestDelivery1796880000000 } from './1796880000000-batch-manifest-delivery.js';
import { WebhookDeliveryTrace1796885000000 } from './1796885000000-webhook-delivery-trace.js';
import { BatchRowVariants1796886000000 } from './1796886000000-batch-row-variants.js';
import { BatchApiOrigin1796887000000 } from './1796887000000-batch-api-origin.js';
import { VideoTrace1796890000000 } from './1796890000000-video-trace.js';

/** Every migration, in order. TypeORM runs the ones a database has not seen yet. */
export const migrations: (new () => MigrationInterface)[] = [
  Initial1795348805559,
  TenancyPlansAudit1795349300616,
  GpuBackendsAndProvenance1795349393804,
  MinerSnapshots1795349694833,
  Webhooks1795350307835,
  VideoQueuePriority1795351000000,
  Treasury1795912387777,
  RevenueLedger1795913105334,
  ModelCapabilitiesAndVideoShape1795913375903,
  StripeBilling1795913904538,
  KeyLineage1795916128246,
  BillingWriteScope1795920373879,
  StripeEventOutcome1795920424190,
  Batches1795920881805,
  IdempotencyLock1795921000000,
  RetentionIndexes1795921000001,
  OutputsRetentionModeration1795921000002,
  CostsAlertsCredits1795921000100,
  LivemodeFilesEndpoints1795921000300,
  WebhookSecretPerMode1795921000425,
  SelfServePlansSubscriptions1795921000725,
  MeterStepsCreditPayments1796554985534,
  VideosOpenIndex1796640000000,
  DropBatchLimits1796600000000,
  ModelRollouts1796630000000,
  KingReadings1796620000000,
  ModelPins1796620000001,
  TreasuryCurrencyProxy1796660000000,
  TreasuryPoliciesPeriods1796670000000,
  ApiKeyVersion1796770000000,
  PlansAsDataContracts1796650000000,
  ContractStripeSync1796650000100,
  Leases1796740000000,
  CatalogueUploads1796710000000,
  VideoSegments1796700000000,
  PeopleSessionsMail1796720000000,
  SsoConnections1796720000100,
  VideoQueue1796800000000,
  VideoQueueIndexes1796800000001,
  Destinations1796810000000,
  VideoGroups1796820000000,
  ClaimLinks1796830000000,
  SsoDomains1796830000100,
  BatchManifestDelivery1796880000000,
  WebhookDeliveryTrace1796885000000,
  BatchRowVariants1796886000000,
  BatchApiOrigin1796887000000,
  VideoTrace1796890000000,
];
