import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobRegistry } from './job-registry.js';
import { WorkerDrain } from './worker-drain.js';

/** One registry per worker process: every processor looks handlers up in it, and it checks all job names once at boot. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [JobRegistry, WorkerDrain],
  exports: [JobRegistry, WorkerDrain],
})
export class JobRegistryModule {}
