import { Module } from '@nestjs/common';
import { DeliveryRelay } from './delivery-relay.service.js';
import { DestinationWriter } from './destination-writer.js';

/** Worker side of destinations: the relay that copies succeeded videos' files to their buckets, and the writer batches' manifests go through. */
@Module({ providers: [DeliveryRelay, DestinationWriter], exports: [DestinationWriter] })
export class DestinationsWorkerModule {}
