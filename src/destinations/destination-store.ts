import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { DomainError } from '../platform/http/domain-error.js';
import { traceS3 } from '../platform/tracing/s3-spans.js';
import { tracingOn } from '../platform/tracing/tracing.js';
import { open } from './destination-secret.js';
import type { Destination } from './destination.entity.js';
import { destinationsEnv } from './destinations.env.js';

/** What we need to reach a store; the secret in the clear only for as long as a client is built. */
export type StoreAccess = Pick<Destination, 'bucket' | 'region' | 'endpoint' | 'forcePathStyle' | 'accessKeyId' | 'secretEnc'>;

/**
 * A client for one customer's store. No SDK retries (the relay retries with backoff, the test
 * write answers at once), and checksums only when required: a streamed body then goes as a plain
 * PUT with its length, which every S3-compatible store understands, instead of aws-chunked.
 */
export function storeClient(access: StoreAccess): S3Client {
  const timeout = destinationsEnv.get().DESTINATION_TIMEOUT_MS;
  const client = new S3Client({
    region: access.region,
    endpoint: access.endpoint ?? undefined,
    forcePathStyle: access.forcePathStyle,
    credentials: { accessKeyId: access.accessKeyId, secretAccessKey: open(access.secretEnc) },
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: Math.min(timeout, 10_000), requestTimeout: timeout },
    logger: { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  return traceS3(client, tracingOn());
}

/** A store's refusal as our catalogued error: refused credentials or permission, else unreachable. */
export function storeError(e: unknown, bucket: string): DomainError {
  const err = e as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  const reason = `${err.name ?? err.code ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${(err.message ?? '').slice(0, 300)}`;
  if (status === 401 || status === 403 || ['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden'].includes(err.name ?? '')) {
    return new DomainError('destination_denied', `The store refused the write to bucket '${bucket}': ${reason}`, { reason });
  }
  return new DomainError('destination_unreachable', `The store could not be written to (bucket '${bucket}'): ${reason}`, { reason });
}

/** Writes a small object under the prefix and deletes it: the credentials work, for this bucket and prefix. */
export async function probeStore(access: StoreAccess & { prefix: string }): Promise<void> {
  const client = storeClient(access);
  const key = `${access.prefix}.leoma-destination-test-${Date.now()}`;
  try {
    await client.send(new PutObjectCommand({ Bucket: access.bucket, Key: key, Body: 'leoma destination test\n', ContentType: 'text/plain' }));
    await client.send(new DeleteObjectCommand({ Bucket: access.bucket, Key: key }));
  } catch (e) {
    throw storeError(e, access.bucket);
  } finally {
    client.destroy();
  }
}

/** Streams one object into the store with its length known: never whole in memory. */
export async function putStream(client: S3Client, bucket: string, key: string, body: Readable, bytes: number, contentType: string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: bytes, ContentType: contentType }));
}
