import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** Bytes a fake registry serves: from memory or from a file on disk (the 2 GiB bench). */
export interface Content {
  size: number;
  sha256: string;
  stream(start: number, end: number): Readable;
  slice(start: number, end: number): Promise<Content>;
}

export function bufferContent(data: Buffer): Content {
  return {
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    stream: (start, end) => Readable.from([data.subarray(start, end)]),
    slice: async (start, end) => bufferContent(data.subarray(start, end)),
  };
}

export async function fileContent(path: string, offset: number, size: number): Promise<Content> {
  const hash = createHash('sha256');
  if (size > 0)
    for await (const chunk of createReadStream(path, { start: offset, end: offset + size - 1, highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  return {
    size,
    sha256: hash.digest('hex'),
    stream: (start, end) =>
      end > start ? createReadStream(path, { start: offset + start, end: offset + end - 1, highWaterMark: 1 << 20 }) : Readable.from([]),
    slice: (start, end) => fileContent(path, offset + start, end - start),
  };
}

/** A fault a test arms against one content (by SHA-256): consumed one request at a time. */
export interface Fault {
  /** Cut the connection after sending this many bytes. */
  cutAfter?: number;
  /** Send this many bytes, then nothing more (the connection stays open). */
  stallAfter?: number;
  /** Send the body in 64 KiB pieces, one every this many ms (a slow but steady link). */
  trickleMs?: number;
  /** Serve more bytes than the content has (a registry that lies about the size). */
  extraBytes?: number;
  /** Serve these bytes wrong (first byte flipped). */
  corrupt?: boolean;
  /** Answer 200 with the whole body even when a Range was asked. */
  ignoreRange?: boolean;
  /** How many requests this fault applies to (default 1). */
  times?: number;
}

export class Faults {
  private readonly armed = new Map<string, Fault[]>();

  arm(sha256: string, fault: Fault): void {
    const list = this.armed.get(sha256) ?? [];
    for (let i = 0; i < (fault.times ?? 1); i++) list.push(fault);
    this.armed.set(sha256, list);
  }

  take(sha256: string): Fault | undefined {
    return this.armed.get(sha256)?.shift();
  }
}

/** Serves content with HTTP Range support, applying a fault if one is armed. */
export function serveContent(req: IncomingMessage, res: ServerResponse, content: Content, fault: Fault | undefined): void {
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  let start = 0;
  let end = content.size;
  if (range && !fault?.ignoreRange) {
    start = Number(range[1]);
    end = range[2] ? Math.min(Number(range[2]) + 1, content.size) : content.size;
    if (start >= content.size) {
      res.writeHead(416, { 'content-range': `bytes */${content.size}` }).end();
      return;
    }
    res.writeHead(206, {
      'content-type': 'application/octet-stream',
      'content-length': end - start,
      'content-range': `bytes ${start}-${end - 1}/${content.size}`,
      'accept-ranges': 'bytes',
    });
  } else {
    const length = content.size + (fault?.extraBytes ?? 0);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': length, 'accept-ranges': 'bytes' });
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  let sent = 0;
  let flipped = false;
  if (fault?.trickleMs) {
    const trickle = (at: number): void => {
      if (res.destroyed) return;
      if (at >= end) return void res.end();
      const piece = content.stream(at, Math.min(at + 65536, end));
      piece.on('data', (chunk: Buffer) => res.write(chunk));
      piece.on('end', () => setTimeout(() => trickle(at + 65536), fault.trickleMs));
    };
    trickle(start);
    return;
  }
  const source = content.stream(start, end);
  source.on('data', (chunk: Buffer) => {
    let out = chunk;
    if (fault?.corrupt && !flipped) {
      out = Buffer.from(chunk);
      out[0] = out[0]! ^ 0xff;
      flipped = true;
    }
    if (fault?.stallAfter !== undefined && sent + out.length > fault.stallAfter) {
      source.destroy();
      res.write(out.subarray(0, fault.stallAfter - sent));
      return;
    }
    if (fault?.cutAfter !== undefined && sent + out.length > fault.cutAfter) {
      const head = out.subarray(0, fault.cutAfter - sent);
      source.destroy();
      res.write(head, () => res.destroy());
      return;
    }
    sent += out.length;
    if (!res.write(out)) {
      source.pause();
      res.once('drain', () => source.resume());
    }
  });
  source.on('end', () => res.end(fault?.extraBytes ? Buffer.alloc(fault.extraBytes, 1) : undefined));
  source.on('error', () => res.destroy());
  res.on('close', () => source.destroy());
}

export interface RecordedRequest {
  server: string;
  method: string;
  path: string;
  authorization: string | undefined;
  range: string | undefined;
}

export function record(server: string, req: IncomingMessage, into: RecordedRequest[]): void {
  into.push({
    server,
    method: req.method ?? 'GET',
    path: decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname),
    authorization: req.headers.authorization,
    range: req.headers.range,
  });
}
