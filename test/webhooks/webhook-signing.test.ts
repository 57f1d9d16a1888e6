import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signatureHeader } from '../../src/webhooks/signature.js';
import { parseRetryAfterMs, retryDelayMs } from '../../src/webhooks/backoff.js';
import { postWebhook } from '../../src/webhooks/webhook-post.js';
import { webhooksEnv } from '../../src/webhooks/webhooks.env.js';

beforeAll(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'false';
  webhooksEnv.reload();
});

describe('Standard Webhooks signatures', () => {
  it('verify with the standardwebhooks package for any body, id and either of two secrets', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[a-z0-9_]{1,40}$/), (text, id) => {
        const [a, b] = [newWebhookSecret(), newWebhookSecret()];
        const body = JSON.stringify({ text });
        const timestamp = Math.floor(Date.now() / 1000);
        const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatureHeader([a, b], id, timestamp, body) };
        expect(new Webhook(a).verify(body, headers)).toEqual({ text });
        expect(new Webhook(b).verify(body, headers)).toEqual({ text });
        expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
        expect(() => new Webhook(a).verify(`${body} `, headers)).toThrow();
      }),
      { numRuns: 50 },
    );
  });
});

describe('retry schedule', () => {
  it('grows exponentially within ±50% jitter and never passes the cap', () => {
    expect(retryDelayMs(1, 5000, 3_600_000, () => 0.5)).toBe(5000);
    expect(retryDelayMs(4, 5000, 3_600_000, () => 0.5)).toBe(40_000);
    expect(retryDelayMs(30, 5000, 3_600_000, () => 0.99)).toBe(3_600_000);
    expect(retryDelayMs(2, 5000, 3_600_000, () => 0)).toBe(5000);
  });

  it('retries for about a day with the default settings', () => {
    const env = webhooksEnv.get();
    let total = 0;
    let attempts = 0;
    while (total + retryDelayMs(attempts + 1, env.WEBHOOK_RETRY_BASE_MS, env.WEBHOOK_RETRY_MAX_DELAY_MS, () => 0.5) <= env.WEBHOOK_RETRY_WINDOW_MS) {
      total += retryDelayMs(++attempts, env.WEBHOOK_RETRY_BASE_MS, env.WEBHOOK_RETRY_MAX_DELAY_MS, () => 0.5);
    }
    expect(total / 3_600_000).toBeGreaterThan(20);
    expect(attempts).toBeGreaterThan(10);
    expect(attempts).toBeLessThan(25);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const day = 86_400_000;
    expect(parseRetryAfterMs('120', day)).toBe(120_000);
    expect(parseRetryAfterMs(new Date(Date.now() + 60_000).toUTCString(), day)).toBeGreaterThan(58_000);
    expect(parseRetryAfterMs('soon', day)).toBeNull();
    expect(parseRetryAfterMs(undefined, day)).toBeNull();
    // A value past the largest Date, and a date far out, are capped so the retry time stays storable.
    expect(parseRetryAfterMs('9000000000000', day)).toBe(day);
    expect(parseRetryAfterMs('9'.repeat(400), day)).toBe(day);
    expect(parseRetryAfterMs(new Date(Date.now() + 400 * day).toUTCString(), day)).toBe(day);
  });
});

describe('the delivery-time address guard', () => {
  it('refuses loopback and private targets without connecting', async () => {
    for (const url of ['https://127.0.0.1:1/x', 'https://localhost:1/x', 'https://10.0.0.1/x', 'http://8.8.8.8/x']) {
      const res = await postWebhook(url, '{}', { headers: {}, timeoutMs: 1000, maxResponseBytes: 1024 });
      expect(res.statusCode, url).toBeNull();
      expect(res.error, url).toMatch(/^webhook_url_(forbidden|invalid)/);
    }
  });
});
