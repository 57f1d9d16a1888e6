import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server answering each path with the bytes put in `served` (404 otherwise): the
 * public host a URL input (image, sound track) is fetched from, which CI does not have. The app
 * must run with ALLOW_PRIVATE_IMAGE_URLS=true to fetch from it.
 */
export interface ServedFiles {
  served: Map<string, Buffer>;
  base: string;
  close(): void;
}

export async function startServedFiles(): Promise<ServedFiles> {
  const served = new Map<string, Buffer>();
  const server = http.createServer((req, res) => {
    const body = served.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { served, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
