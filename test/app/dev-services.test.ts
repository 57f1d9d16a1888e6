import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startPostgres } from '../../tools/dev/embedded-postgres.js';
import { startRedis } from '../../tools/dev/redis-server.js';
import { startS3 } from '../../tools/dev/s3-server.js';
import { StopAll } from '../../tools/dev/stop-all.js';
import { createTestBucket, createTestDatabase, uniquePrefix } from '../support/isolation.js';

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'leoma-dev-services-'));
  tempDirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('embedded postgres launcher', () => {
  it('initialises a fresh data dir, serves queries, and keeps data across a restart', async () => {
    // mkdtemp's own directory is handed to the server; as root it is chowned to the postgres user.
    const dataDir = await tempDir();
    const exitListeners = () => ['SIGINT', 'SIGTERM', 'beforeExit', 'exit'].map((event) => process.listenerCount(event));
    const listenersBefore = exitListeners();

    const first = await startPostgres({ dataDir, fast: true });
    try {
      // The package's own exit hooks would call process.exit(0) and hide failed tests; only the
      // launcher's last-resort 'exit' handler may be added while the server runs.
      expect(exitListeners()).toEqual([...listenersBefore.slice(0, 3), listenersBefore[3]! + 1]);
      expect(first.url).toBe(`postgres://postgres:postgres@127.0.0.1:${first.port}/postgres`);
      expect(await query(first.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      await query(first.url, 'create table kept (id int); insert into kept values (7)');
    } finally {
      await first.stop();
    }
    expect(await isListening(first.port)).toBe(false);
    expect(exitListeners()).toEqual(listenersBefore);

    const second = await startPostgres({ dataDir, fast: true });
    try {
      expect(await query(second.url, 'select id from kept')).toEqual([{ id: 7 }]);
    } finally {
      await second.stop();
    }
    expect(await isListening(second.port)).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)('as root, names the directory the postgres user cannot get through', async () => {
    const privateParent = await tempDir();
    await expect(startPostgres({ dataDir: join(privateParent, 'pg') })).rejects.toThrow(`${privateParent} is not searchable by other users`);
  });
});

describe('redis-server launcher', () => {
  it('answers PING on a random 127.0.0.1 port and closes it on stop', async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      expect(await client.config('GET', 'save')).toEqual(['save', '']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    } finally {
      client.disconnect();
      await redis.stop();
    }
    expect(await isListening(redis.port)).toBe(false);
  });

  it('says how to install redis-server when it is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = await tempDir();
    try {
      await expect(startRedis()).rejects.toThrow('apt-get install -y redis-server');
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('s3rver launcher', () => {
  it('stores objects, serves presigned GETs, and closes its port on stop', async () => {
    const s3 = await startS3({ dir: await tempDir() });
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      forcePathStyle: true,
    });
    try {
      await client.send(new CreateBucketCommand({ Bucket: 'videos' }));
      await client.send(new PutObjectCommand({ Bucket: 'videos', Key: 'a/b.mp4', Body: 'not really a video', ContentType: 'video/mp4' }));

      const got = await client.send(new GetObjectCommand({ Bucket: 'videos', Key: 'a/b.mp4' }));
      expect(await got.Body?.transformToString()).toBe('not really a video');

      const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'videos', Key: 'a/b.mp4' }), {
        expiresIn: 60,
      });
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('video/mp4');
      expect(await response.text()).toBe('not really a video');

      // s3rver enforces expiry but not SigV4 signature values, so only expiry is worth asserting.
      const expired = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'videos', Key: 'a/b.mp4' }), {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 120_000),
      });
      expect((await fetch(expired)).status).toBe(403);
    } finally {
      client.destroy();
      await s3.stop();
    }
    expect(await isListening(s3.port)).toBe(false);
  });
});

describe('StopAll', () => {
  it('stops in reverse start order, once, even when a stop fails', async () => {
    const stopped: string[] = [];
    const fake = (name: string, fails = false) => ({
      stop: async () => {
        stopped.push(name);
        if (fails) throw new Error(`${name} refused`);
      },
    });
    const services = new StopAll();
    await services.start('db', Promise.resolve(fake('db')));
    await services.start('queue', Promise.resolve(fake('queue', true)));
    await services.start('app', Promise.resolve(fake('app')));

    await expect(services.stopAll()).rejects.toThrow('some services did not stop cleanly');
    await expect(services.stopAll()).rejects.toThrow('some services did not stop cleanly');
    expect(stopped).toEqual(['app', 'queue', 'db']);
  });

  it('stops a service that finishes starting after shutdown began', async () => {
    let finishStarting!: () => void;
    let stopped = false;
    const slow = new Promise<{ stop(): Promise<void> }>((resolve) => {
      finishStarting = () => resolve({ stop: async () => void (stopped = true) });
    });
    const services = new StopAll();
    const starting = services.start('slow', slow);
    const stopping = services.stopAll();
    finishStarting();

    await expect(starting).rejects.toThrow('after shutdown had begun');
    await stopping;
    expect(stopped).toBe(true);
  });
});

describe('shared services from global setup', () => {
  it('gives each caller its own database', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      expect(a.name).not.toBe(b.name);
      await query(a.url, 'create table only_in_a (id int)');
      expect(await query(b.url, "select to_regclass('only_in_a') as t")).toEqual([{ t: null }]);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
    const client = new pg.Client({ connectionString: a.url });
    await expect(client.connect()).rejects.toThrow(`database "${a.name}" does not exist`);
  });

  it('gives unique Redis prefixes and buckets', async () => {
    expect(uniquePrefix('Video jobs')).toMatch(/^test-video-jobs-[0-9a-f]{8}$/);
    expect(uniquePrefix('x')).not.toBe(uniquePrefix('x'));

    const bucket = await createTestBucket();
    try {
      await bucket.client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'k', Body: 'v' }));
      const got = await bucket.client.send(new GetObjectCommand({ Bucket: bucket.name, Key: 'k' }));
      expect(await got.Body?.transformToString()).toBe('v');
    } finally {
      bucket.client.destroy();
    }
  });
});
