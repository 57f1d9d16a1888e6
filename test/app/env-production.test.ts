import { afterEach, describe, expect, it } from 'vitest';
import { validateAllEnv } from '../../src/app/validate-all.js';
import { EnvError } from '../../src/platform/config/define-env.js';
import { filesEnv } from '../../src/files/files.env.js';
import { webhooksEnv } from '../../src/webhooks/webhooks.env.js';

// The switches that let tests and `npm run dev` reach 127.0.0.1 must never reach production.
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('dev-only switches with NODE_ENV=production', () => {
  it.each([
    ['ALLOW_PRIVATE_IMAGE_URLS', filesEnv],
    ['WEBHOOK_ALLOW_PRIVATE_URLS', webhooksEnv],
  ] as const)('%s stops the start-up, naming the variable', (name, env) => {
    const value = (source: NodeJS.ProcessEnv) => (env.load(source) as Record<string, unknown>)[name];
    expect(() => env.load({ NODE_ENV: 'production', [name]: 'true' })).toThrow(new RegExp(`${name}: must not be enabled when NODE_ENV=production`));
    expect(value({ NODE_ENV: 'production', [name]: 'false' })).toBe(false);
    expect(value({ NODE_ENV: 'development', [name]: 'true' })).toBe(true);
    expect(value({ NODE_ENV: 'test', [name]: '1' })).toBe(true);
  });

  it('is reported by the start-up check that every process runs', () => {
    process.env.NODE_ENV = 'production';
    process.env.ALLOW_PRIVATE_IMAGE_URLS = 'true';
    process.env.WEBHOOK_ALLOW_PRIVATE_URLS = '1';
    let error: unknown;
    try {
      validateAllEnv();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect(String((error as Error).message)).toMatch(/ALLOW_PRIVATE_IMAGE_URLS[\s\S]*WEBHOOK_ALLOW_PRIVATE_URLS/);
  });
});
