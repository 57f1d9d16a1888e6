import { Module } from '@nestjs/common';
import { DeliveryRelay } from './delivery-relay.service.js';

/** Worker side of destinations: the relay that copies succeeded videos' files to their buckets. */
@Module({ providers: [DeliveryRelay] })
export class DestinationsWorkerModule {}
