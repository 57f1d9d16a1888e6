import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, any> };
  status: number;
  at: number;
}

type Responder = (n: number, req: Omit<Received, 'status'>) => { status: number; headers?: Record<string, string> };

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as the test says. */
export interface WebhookReceiver {
  url: string;
  received: Received[];
  respond(fn: Responder): void;
  /** Resolves once `predicate` holds for the received list. */
  waitFor(predicate: (r: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  let responder: Responder = () => ({ status: 200 });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const entry = { headers: req.headers, body, json: JSON.parse(body), at: Date.now() };
      const { status, headers } = responder(received.length + 1, entry);
      received.push({ ...entry, status });
      res.writeHead(status, headers).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    respond: (fn) => (responder = fn),
    async waitFor(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline)
          throw new Error(`receiver: condition not met after ${timeoutMs} ms; got ${received.map((r) => `${r.json.type}→${r.status}`).join(', ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return received;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
