import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RewritingProxy {
  url: string;
  /** Predictions (successful PUTs) that went through the proxy. */
  calls: () => number;
  close: () => Promise<void>;
}

/**
 * A GPU server that renders for real (the upstream behind it) and then changes its answer: each
 * successful prediction (`PUT`) passes through `rewrite`, given the call's number (from 1); every
 * other request and every failed answer goes back untouched. For the tests of backends that lie.
 */
export async function startRewritingProxy(upstreamUrl: string, rewrite: (prediction: Record<string, unknown>, call: number) => void): Promise<RewritingProxy> {
  let calls = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = await fetch(new URL(req.url!, upstreamUrl), {
      method: req.method,
      headers: { 'content-type': 'application/json' },
      body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
    });
    const text = await answer.text();
    if (req.method !== 'PUT' || !answer.ok) {
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
      return;
    }
    const prediction = JSON.parse(text) as Record<string, unknown>;
    rewrite(prediction, ++calls);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(prediction));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
