import { createServer } from 'node:http';

/**
 * A Cog backend that answers every prediction at once with the same MP4, timing itself.
 * @param {Buffer} mp4
 * @returns {Promise<{ url: string; serverMs: Map<string, number>; close(): Promise<void> }>}
 */
export async function startInstantBackend(mp4) {
  const output = `data:video/mp4;base64,${mp4.toString('base64')}`;
  const serverMs = new Map();
  const server = createServer((req, res) => {
    const began = performance.now();
    const id = decodeURIComponent(/^\/predictions\/([^/]+)$/.exec(req.url ?? '')?.[1] ?? '');
    req.resume();
    req.on('end', () => {
      if (req.method !== 'PUT') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"READY"}');
        return;
      }
      const body = JSON.stringify({ id, status: 'succeeded', output });
      res
        .writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
        .end(body, () => serverMs.set(id, performance.now() - began));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    serverMs,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
