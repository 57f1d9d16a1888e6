import { afterEach, describe, expect, it } from 'vitest';
import { validateAllEnv } from '../src/app/validate-all.js';
import { EnvError } from '../src/platform/config/define-env.js';

// The switches that let tenant-supplied URLs reach loopback and private networks are for dev and
// tests; a production process holding one must refuse to start, naming the variable.
const saved = { ...process.env };
// What a deployment must set anyway; values are only parsed here, nothing connects.
const required = { DATABASE_URL: 'postgres://leoma@127.0.0.1:5432/leoma', REDIS_URL: 'redis://127.0.0.1:6379', S3_BUCKET: 'leoma', API_KEY_HASH_SECRET: 'x'.repeat(32) };
afterEach(() => {
  process.env = { ...saved };
});

function startWith(env: Record<string, string>): unknown {
  process.env = { ...saved, ...required, ...env };
  try {
    validateAllEnv();
    return null;
  } catch (e) {
    return e;
  }
}

describe('start-up configuration in production', () => {
  it.each(['ALLOW_PRIVATE_IMAGE_URLS', 'WEBHOOK_ALLOW_PRIVATE_URLS'])('refuses %s=true with NODE_ENV=production', (name) => {
    const error = startWith({ NODE_ENV: 'production', ALLOW_PRIVATE_IMAGE_URLS: 'false', WEBHOOK_ALLOW_PRIVATE_URLS: 'false', [name]: 'true' });
    expect(error).toBeInstanceOf(EnvError);
    expect((error as Error).message).toMatch(new RegExp(`${name}: must not be true when NODE_ENV=production`));
  });

  it('accepts them outside production, and production without them', () => {
    expect(startWith({ NODE_ENV: 'test', ALLOW_PRIVATE_IMAGE_URLS: 'true', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' })).toBeNull();
    expect(startWith({ NODE_ENV: 'production', ALLOW_PRIVATE_IMAGE_URLS: 'false', WEBHOOK_ALLOW_PRIVATE_URLS: 'false' })).toBeNull();
  });
});
