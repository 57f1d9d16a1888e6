import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { freePort } from './free-port.js';

export interface StartS3Options {
  /** Where s3rver keeps buckets and objects; kept across restarts. */
  dir: string;
  /** Defaults to a free port on 127.0.0.1. */
  port?: number;
}

export interface RunningS3 {
  /** e.g. http://127.0.0.1:4569 — use with forcePathStyle: true. */
  endpoint: string;
  port: number;
  /** The only account s3rver knows; requests signed with any other key are rejected. */
  accessKeyId: 'S3RVER';
  secretAccessKey: 'S3RVER';
  stop(): Promise<void>;
}

/** The part of s3rver 3.x we use; the package ships no type declarations. */
interface S3rverInstance {
  httpServer?: Server;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  resetOnClose: boolean;
  vhostBuckets: boolean;
}) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export async function startS3(options: StartS3Options): Promise<RunningS3> {
  const directory = resolve(options.dir);
  await mkdir(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? (await freePort()),
    directory,
    silent: true,
    // Buckets are created through the API (CreateBucket) by the app and the tests; the caller owns
    // the directory and decides whether it outlives the server.
    resetOnClose: false,
    // Path-style only: virtual-host buckets would need *.localhost DNS.
    vhostBuckets: false,
  });
  const { port } = await server.run();

  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    stop: () => (stopping ??= close(server)),
  };
}

/** close() alone waits for clients' keep-alive sockets (the AWS SDK pools them) to go away. */
async function close(server: S3rverInstance): Promise<void> {
  const closed = server.close();
  server.httpServer?.closeAllConnections();
  await closed;
}
