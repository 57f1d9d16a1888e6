import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { MIGRATED_TEMPLATE, withAdminClient } from './pg-admin.js';

/**
 * Helpers that give each test file its own database, key space and bucket on the shared servers
 * from global-setup.ts, so files can run in parallel without seeing each other's data.
 */

export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  name: string;
  /** Drops the database, disconnecting any client still attached to it. */
  drop(): Promise<void>;
}

/**
 * A new database: empty, or with `migrated`, a copy of the one global-setup.ts brought to the
 * latest migration (what runMigrations would make, without running it again).
 */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = inject('pgUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const template = opts.migrated ? ` TEMPLATE ${MIGRATED_TEMPLATE}` : '';
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${template}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * A prefix no other test file uses, for BullMQ's `prefix` option and hand-made Redis keys, e.g.
 * uniquePrefix('jobs') → 'test-jobs-3f9a1c2b'. Only characters safe in a Redis key segment.
 */
export function uniquePrefix(name: string): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `test-${safe}-${randomBytes(4).toString('hex')}`;
}

/** An S3 client for the shared s3rver, configured the way s3rver needs. */
export function createTestS3Client(): S3Client {
  const { endpoint, accessKeyId, secretAccessKey } = inject('s3');
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey },
    // s3rver serves buckets as paths only (no <bucket>.host names).
    forcePathStyle: true,
  });
}

export interface TestBucket {
  name: string;
  client: S3Client;
}

/** Creates a bucket with a name no other test file uses on the shared s3rver. */
export async function createTestBucket(): Promise<TestBucket> {
  const client = createTestS3Client();
  const name = `test-${randomBytes(6).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return { name, client };
}
