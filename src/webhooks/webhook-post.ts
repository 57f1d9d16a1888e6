import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { parseWebhookUrl, resolveWebhookHost, WebhookUrlError } from './webhook-url.js';

export interface PostResult {
  statusCode: number | null;
  latencyMs: number;
  /** Null on 2xx; otherwise a short reason for the delivery log (never the response body). */
  error: string | null;
  retryAfter?: string;
}

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  maxResponseBytes: number;
}

/**
 * One POST to a customer's URL: public addresses only (checked and pinned like image URLs), a
 * deadline for the whole exchange, redirects reported rather than followed (a 3xx is a
 * failure), and at most maxResponseBytes of the response read before we hang up.
 */
export async function postWebhook(rawUrl: string, body: string, opts: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  let pinned: LookupAddress;
  try {
    url = parseWebhookUrl(rawUrl);
    pinned = await resolveWebhookHost(url);
  } catch (e) {
    if (e instanceof WebhookUrlError) return { statusCode: null, latencyMs: elapsed(), error: `${e.code}: ${e.message}` };
    throw e;
  }
  try {
    const { statusCode, retryAfter } = await send(url, pinned, body, opts);
    const ok = statusCode >= 200 && statusCode < 300;
    const error = ok ? null : statusCode >= 300 && statusCode < 400 ? `redirect_not_followed: HTTP ${statusCode}` : `HTTP ${statusCode}`;
    return { statusCode, latencyMs: elapsed(), error, retryAfter };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason =
      err.name === 'TimeoutError' || err.name === 'AbortError' ? `timeout after ${opts.timeoutMs} ms` : `connection_failed: ${err.code ?? err.message}`;
    return { statusCode: null, latencyMs: elapsed(), error: reason };
  }
}

function send(url: URL, pinned: LookupAddress, body: string, opts: PostOptions): Promise<{ statusCode: number; retryAfter?: string }> {
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        agent: false,
        lookup,
        signal: AbortSignal.timeout(opts.timeoutMs),
        headers: { ...opts.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Leoma-Webhooks/1.0' },
      },
      (res) => {
        const statusCode = res.statusCode ?? 0;
        const retryAfter = res.headers['retry-after'];
        let received = 0;
        const done = () => resolve({ statusCode, retryAfter });
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > opts.maxResponseBytes) {
            // The status is all we need; a huge or endless body must not hold the worker.
            res.destroy();
            done();
          }
        });
        res.on('end', done);
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
