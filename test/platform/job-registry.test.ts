import { describe, expect, it } from 'vitest';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { JobRegistryModule } from '../../src/platform/queue/job-registry.module.js';
import { JobHandler } from '../../src/platform/queue/job-handler.decorator.js';
import { JobName } from '../../src/platform/queue/queue-names.js';

@Injectable()
class OneHandler {
  @JobHandler(JobName.GenerateVideo)
  run() {}
}

@Injectable()
class AnotherHandler {
  @JobHandler(JobName.GenerateVideo)
  run() {}
}

const boot = async (providers: (new () => unknown)[]) => {
  const moduleRef = await Test.createTestingModule({ imports: [JobRegistryModule], providers }).compile();
  await moduleRef.init();
  return moduleRef;
};

describe('job handler check at boot', () => {
  it('refuses to start when a job name has no handler, and says how to fix it', async () => {
    await expect(boot([OneHandler])).rejects.toThrow(/job 'video\.requeue-stale' has no handler: add @JobHandler\(JobName\.RequeueStaleVideos\)/);
  });

  it('refuses to start when a job name has two handlers', async () => {
    await expect(boot([OneHandler, AnotherHandler])).rejects.toThrow(/job 'video\.generate' has 2 handlers \(OneHandler\.run, AnotherHandler\.run\)/);
  });
});
