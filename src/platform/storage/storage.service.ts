import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { storageEnv } from './storage.env.js';
import { isUnavailable, StorageUnavailable } from './storage-unavailable.js';
import { traceS3 } from '../tracing/s3-spans.js';
import { tracingOn } from '../tracing/tracing.js';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** Presigned URLs kept for reuse (a few hundred bytes each); the oldest go first. */
const PRESIGNED_KEPT = 10_000;

@Injectable()
export class StorageService implements OnModuleDestroy {
  private readonly env = storageEnv.get();
  private readonly presigned = new Map<string, { url: string; expiresAt: Date }>();
  readonly bucket = this.env.S3_BUCKET;
  private readonly client = traceS3(
    new S3Client({
      region: this.env.S3_REGION,
      endpoint: this.env.S3_ENDPOINT,
      forcePathStyle: this.env.S3_FORCE_PATH_STYLE,
      credentials:
        this.env.S3_ACCESS_KEY_ID && this.env.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: this.env.S3_ACCESS_KEY_ID, secretAccessKey: this.env.S3_SECRET_ACCESS_KEY }
          : undefined,
      requestHandler: { connectionTimeout: this.env.S3_CONNECT_TIMEOUT_MS, requestTimeout: this.env.S3_REQUEST_TIMEOUT_MS },
      // Without a logger the SDK writes its warnings (one per failed streamed upload) to the console, past the structured log.
      logger: sdkLogger(new Logger('S3')),
    }),
    tracingOn(),
  );

  /**
   * Every call to the store goes through here: a store that is down, unreachable or answering
   * 5xx (after the SDK's retries) becomes StorageUnavailable (503 over HTTP; a job may wait it
   * out), anything else (a missing key, refused credentials) stays as the SDK threw it.
   */
  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      throw isUnavailable(e) ? new StorageUnavailable(e) : e;
    }
  }

  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch {
      if (!this.env.S3_CREATE_BUCKET) throw new Error(`S3 bucket '${this.bucket}' is not reachable (set S3_CREATE_BUCKET=true to create it)`);
      try {
        await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
      } catch (error) {
        // The api and the worker start together (npm run dev): the other one may have just made it.
        const name = (error as { name?: string }).name;
        if (name !== 'BucketAlreadyExists' && name !== 'BucketAlreadyOwnedByYou') throw error;
      }
    }
  }

  async put(key: string, body: Buffer, contentType: string, sha256Base64?: string): Promise<void> {
    await this.call(() =>
      this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length, ChecksumSHA256: sha256Base64 }),
      ),
    );
  }

  /**
   * Uploads a file as a stream, so an output of any size never sits in memory. The checksum is
   * given up front: without it the SDK would send a streamed body as aws-chunked with a trailing
   * checksum, which not every S3-compatible store understands.
   */
  async putFile(key: string, path: string, file: { bytes: number; sha256Hex: string }, contentType: string): Promise<void> {
    await this.call(() =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: createReadStream(path),
          ContentType: contentType,
          ContentLength: file.bytes,
          ChecksumSHA256: Buffer.from(file.sha256Hex, 'hex').toString('base64'),
        }),
      ),
    );
  }

  async get(key: string, maxBytes: number): Promise<Buffer> {
    return this.call(async () => {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if ((out.ContentLength ?? 0) > maxBytes) throw new Error(`object ${key} exceeds ${maxBytes} bytes`);
      // Inside call(): the store dying halfway through the body is an outage too.
      return Buffer.from(await out.Body!.transformToByteArray());
    });
  }

  /**
   * A URL the client PUTs one object to, directly: the bytes never pass through the API. The type
   * and length are signed, so the store refuses a body of another size (the file is checked
   * again when the upload is completed, whatever the store enforced).
   */
  async presignPut(key: string, contentType: string, bytes: number, ttlSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: contentType, ContentLength: bytes }), {
      expiresIn: ttlSeconds,
    });
  }

  /** The object's size, or null when there is none (nothing was uploaded to its key yet). */
  async size(key: string): Promise<number | null> {
    return this.call(async () => {
      try {
        return (await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))).ContentLength ?? 0;
      } catch (e) {
        if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
        throw e;
      }
    });
  }

  /** The object as a stream (an archive copies outputs one after another without holding any whole). */
  async stream(key: string): Promise<Readable> {
    return this.call(async () => {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      // In Node the SDK's body is an http.IncomingMessage: a Readable.
      return out.Body as Readable;
    });
  }

  async delete(key: string): Promise<void> {
    await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  /**
   * Short-lived GET URL; the download filename is set so browsers save a sensible name. A URL is
   * reused while at least half its lifetime remains: signing through the SDK's middleware stack
   * was most of the CPU time of polling a finished video and of listing finished ones. Whoever
   * gets a reused URL still has at least S3_PRESIGN_TTL_SECONDS / 2 to start the download.
   */
  async presignGet(key: string, filename?: string): Promise<{ url: string; expiresAt: Date }> {
    const ttl = this.env.S3_PRESIGN_TTL_SECONDS;
    const cacheKey = `${key}\n${filename ?? ''}`;
    const hit = this.presigned.get(cacheKey);
    if (hit && hit.expiresAt.getTime() - Date.now() >= (ttl * 1000) / 2) return hit;
    const url = await getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: filename ? `attachment; filename="${filename}"` : undefined,
      }),
      { expiresIn: ttl },
    );
    const signed = { url, expiresAt: new Date(Date.now() + ttl * 1000) };
    this.presigned.delete(cacheKey);
    if (this.presigned.size >= PRESIGNED_KEPT) this.presigned.delete(this.presigned.keys().next().value!);
    this.presigned.set(cacheKey, signed);
    return signed;
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }
}

/** The SDK's warnings go to our log; its per-call info and error records do not (every error reaches the caller, which reports it). */
function sdkLogger(logger: Logger) {
  const none = () => undefined;
  return { trace: none, debug: none, info: none, error: none, warn: (...m: unknown[]) => logger.warn(m.map(String).join(' ')) };
}
