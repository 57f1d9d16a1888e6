import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendError } from './backend-error.js';
import { classifyFetchError } from './http.js';
import type { ModelIdentity } from './model-identity.js';

/** A backend's output on disk, never whole in memory. Whoever holds one must dispose() it. */
export interface BackendOutput {
  path: string;
  bytes: number;
  sha256: string;
  /** The model the backend attests made it (the GPU contract); null: it named none. */
  attested: ModelIdentity | null;
  dispose(): Promise<void>;
}

/**
 * Writes a backend's output to a temp file of its own as it arrives, counting and hashing it.
 * Past the cap the output is invalid (the dispatcher fails over) and the file is removed at once.
 */
export class OutputWriter {
  private bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private failure: Error | undefined;

  private constructor(
    private readonly dir: string,
    private readonly stream: WriteStream,
    private readonly maxBytes: number,
  ) {
    stream.on('error', (e) => (this.failure = e));
  }

  /** `dir`: where temp files go (empty: the OS temp directory). */
  static async create(dir: string, maxBytes: number): Promise<OutputWriter> {
    const own = await mkdtemp(join(dir || tmpdir(), 'leoma-out-'));
    return new OutputWriter(own, createWriteStream(join(own, 'output')), maxBytes);
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) throw new BackendError('output_invalid', `backend output exceeds ${this.maxBytes} bytes`);
    this.hash.update(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Reads a response body into the file; a connection dropped mid-body is the backend's fault. */
  async writeBody(body: ReadableStream<Uint8Array> | null): Promise<void> {
    if (!body) return;
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        await this.write(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      }
    } catch (e) {
      await reader.cancel().catch(() => undefined);
      throw classifyFetchError(e);
    }
  }

  async finish(): Promise<BackendOutput> {
    await new Promise<void>((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (this.failure) throw this.failure;
    const dir = this.dir;
    return {
      path: this.stream.path as string,
      bytes: this.bytes,
      sha256: this.hash.digest('hex'),
      attested: null,
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Runs `fill` on a new writer and returns the finished file; on any failure the file is removed. */
export async function writeOutput(dir: string, maxBytes: number, fill: (writer: OutputWriter) => Promise<void>): Promise<BackendOutput> {
  const writer = await OutputWriter.create(dir, maxBytes);
  try {
    await fill(writer);
    return await writer.finish();
  } catch (e) {
    await writer.abort();
    throw e;
  }
}
