import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './run-prediction.js';

/** Resolves undefined once the body is known to exceed the cap, without buffering the excess. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  const body = Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    ...reply.headers,
    'content-length': Buffer.byteLength(body),
  };
  // An unread oversized body would otherwise be parsed as the next request on this connection.
  if (reply.status === 413) headers.connection = 'close';
  res.writeHead(reply.status, headers).end(body);
}

export function notFound(): Reply {
  return { status: 404, body: { detail: 'Not Found' } };
}

export function methodNotAllowed(): Reply {
  return { status: 405, body: { detail: 'Method Not Allowed' } };
}
