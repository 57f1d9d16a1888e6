/** Destinations: customers' own S3-compatible buckets (credentials sealed at rest, checked by a test write) and the copy of each succeeded video's files there, through an outbox row, with retries and a per-video delivery status; the writer a batch's manifest goes through; and their erasure with the tenant. Other modules use only what this file exports. */
export { DestinationsModule } from './destinations.module.js';
export { DestinationsWorkerModule } from './destinations-worker.module.js';
export { DestinationsService } from './destinations.service.js';
export { DestinationWriter, afterFailedAttempt } from './destination-writer.js';
export { DestinationRelay } from './destination-relay.js';
export { eraseTenantDestinations } from './destination-erasure.js';
export { destinationsEnv } from './destinations.env.js';
export { destinationEntities } from './destination-entities.js';
export { planVideoDelivery, deliveriesOf, awaitingDelivery, type DeliveryTarget, type DeliveryView } from './video-deliveries.js';
export { VideoDeliveryObject } from './dto/destination.object.js';
