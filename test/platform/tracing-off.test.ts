import { describe, expect, it } from 'vitest';
import { tracingChannel } from 'node:diagnostics_channel';
import pg from 'pg';
import { S3Client } from '@aws-sdk/client-s3';
import { tracingOn } from '../../src/platform/tracing/tracing.js';
import { traceS3 } from '../../src/platform/tracing/s3-spans.js';
import '../../src/platform/storage/storage.service.js';
import '../../src/billing/stripe/stripe-client.js';

/** Tracing off (the default) must leave every library as it is: no wrapper, no subscriber, no middleware on the request path. */
describe('tracing off', () => {
  it('wraps nothing and subscribes to nothing', () => {
    expect(tracingOn()).toBe(false);
    expect(pg.Client.prototype.query.name).toBe('query');
    for (const name of ['ioredis:command', 'ioredis:batch']) expect(tracingChannel(name).hasSubscribers).toBe(false);
    const client = traceS3(new S3Client({ region: 'us-east-1' }), tracingOn());
    expect(client.middlewareStack.identify().some((m) => m.includes('leomaTracingMiddleware'))).toBe(false);
    expect(
      traceS3(new S3Client({ region: 'us-east-1' }), true)
        .middlewareStack.identify()
        .some((m) => m.includes('leomaTracingMiddleware')),
    ).toBe(true);
  });
});
