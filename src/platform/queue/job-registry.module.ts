import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobRegistry } from './job-registry.js';

/** One registry per worker process: every processor looks handlers up in it, and it checks all job names once at boot. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [JobRegistry],
  exports: [JobRegistry],
})
export class JobRegistryModule {}
