import { Destination } from './destination.entity.js';
import { VideoDelivery } from './video-delivery.entity.js';

/** This module's tables, listed once for src/app/database/entities.ts. */
export const destinationEntities = [Destination, VideoDelivery];
