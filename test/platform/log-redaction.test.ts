import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { pinoOptions } from '../../src/platform/logging/logger-params.js';
import { treasuryEnv } from '../../src/treasury/treasury.env.js';
import { billingEnv } from '../../src/billing/billing.env.js';

// The configured values, as a deployment would set them; each module registers its own on load.
const mnemonic = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const stripeKey = 'rk_live_51Hx0SecretValueNotAPattern';
process.env.TREASURY_SIGNER_SECRET = mnemonic;
process.env.STRIPE_SECRET_KEY = stripeKey;
process.env.STRIPE_WEBHOOK_SECRET = 'whsec_configuredSigningSecret';
treasuryEnv.reload();
billingEnv.reload();

function capture(): { logger: pino.Logger; text: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (chunks.push(String(chunk)), done()) });
  const { transport: _pretty, ...options } = pinoOptions('worker', 'trace');
  return { logger: pino(options, sink), text: () => chunks.join('') };
}

describe('the log scrubber', () => {
  it('cuts configured secrets out of free text, any field at any depth, and error messages', () => {
    const { logger, text } = capture();
    logger.info(`signer ready from ${mnemonic}`);
    logger.warn({ relay: { stripe: { client: `Stripe(${stripeKey})` }, signer: { uri: mnemonic } }, attempt: 2 }, 'meter send failed');
    logger.error({ err: new Error(`could not derive a key from "${mnemonic}"`), seed: [mnemonic] }, 'burn failed');
    const out = text();
    expect(out).not.toContain(mnemonic);
    expect(out).not.toContain(stripeKey);
    expect(out).not.toContain('whsec_configuredSigningSecret');
    expect(out.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(4);
    // Everything else of the lines stays.
    expect(out).toContain('signer ready from [REDACTED]');
    expect(out).toContain('"attempt":2');
    expect(out).toContain('meter send failed');
  });

  it('censors fields by name (credential headers, passwords, tokens) wherever a line carries them, and keeps their siblings', () => {
    const { logger, text } = capture();
    logger.warn(
      {
        req: {
          headers: { authorization: 'Basic dXNlcjpwYXNz', cookie: 'leoma_session=s3ss10n', 'x-api-key': 'plain-key-no-pattern', accept: 'application/json' },
        },
        res: { headers: { 'set-cookie': 'leoma_session=n3w' } },
        sso: { client: { password: 'hunter2', token: 'opaque-token-value' } },
        apiKey: 'plain-key-no-pattern',
      },
      'upstream refused',
    );
    const line = JSON.parse(text());
    expect(line.req.headers).toEqual({ authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-api-key': '[REDACTED]', accept: 'application/json' });
    expect(line.res.headers['set-cookie']).toBe('[REDACTED]');
    expect(line.sso.client).toEqual({ password: '[REDACTED]', token: '[REDACTED]' });
    expect(line.apiKey).toBe('[REDACTED]');
    for (const secret of ['dXNlcjpwYXNz', 's3ss10n', 'plain-key-no-pattern', 'n3w', 'hunter2', 'opaque-token-value']) expect(text()).not.toContain(secret);
  });

  it('leaves a line without secrets untouched, and short configured values (they would match ordinary words) alone', () => {
    const { logger, text } = capture();
    logger.info({ route: '/v1/videos', status: 202, note: 'legal winner' }, 'request completed');
    expect(JSON.parse(text())).toMatchObject({ route: '/v1/videos', status: 202, note: 'legal winner', msg: 'request completed' });
  });
});
