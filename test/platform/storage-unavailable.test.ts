import { describe, expect, it } from 'vitest';
import { isUnavailable, StorageUnavailable } from '../../src/platform/storage/storage-unavailable.js';
import { whileStorageUnavailable } from '../../src/platform/storage/storage-retry.js';

/** Which S3 client errors count as the store being down (waited out, 503), and how long a job waits. */
describe('storage unavailable', () => {
  const sdk = (status: number, name = 'S3ServiceException') => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  const net = (code: string) => Object.assign(new Error(`connect ${code}`), { code, $metadata: { attempts: 3 } });

  it('counts refused or reset connections, timeouts, 5xx and 429 as an outage; a missing key or refused credentials not', () => {
    for (const e of [
      net('ECONNREFUSED'),
      net('ECONNRESET'),
      net('EPIPE'),
      sdk(500),
      sdk(503, 'SlowDown'),
      sdk(429),
      Object.assign(new Error('t'), { name: 'TimeoutError' }),
    ]) {
      expect(isUnavailable(e), e.message).toBe(true);
    }
    expect(isUnavailable(new Error('wrapped', { cause: net('ECONNREFUSED') }))).toBe(true);
    for (const e of [
      sdk(404, 'NoSuchKey'),
      sdk(403, 'AccessDenied'),
      sdk(400, 'BadDigest'),
      new Error('object exceeds 10 bytes'),
      Object.assign(new Error('no file'), { code: 'ENOENT' }),
      null,
      'text',
    ]) {
      expect(isUnavailable(e), String(e)).toBe(false);
    }
  });

  it('a job retries through an outage until the store answers, and gives up at its deadline', async () => {
    let calls = 0;
    const value = await whileStorageUnavailable(async () => {
      if (++calls < 3) throw new StorageUnavailable(net('ECONNREFUSED'));
      return 'stored';
    }, Date.now() + 10_000);
    expect(value).toBe('stored');
    expect(calls).toBe(3);

    const started = Date.now();
    let tries = 0;
    const down = () => {
      tries++;
      return Promise.reject(new StorageUnavailable(net('ECONNREFUSED')));
    };
    await expect(whileStorageUnavailable(down, Date.now() + 1_200)).rejects.toBeInstanceOf(StorageUnavailable);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(tries).toBeGreaterThanOrEqual(2);
    // Anything but an outage is not retried.
    tries = 0;
    await expect(whileStorageUnavailable(() => (tries++, Promise.reject(new Error('NoSuchKey'))), Date.now() + 10_000)).rejects.toThrow('NoSuchKey');
    expect(tries).toBe(1);
  });

  it('a wait ends at once when the work is canceled meanwhile, with the reason it is given', async () => {
    const started = Date.now();
    let tries = 0;
    let canceled = false;
    const down = () => {
      tries++;
      canceled = tries >= 2;
      return Promise.reject(new StorageUnavailable(net('ECONNREFUSED')));
    };
    const stop = async () => (canceled ? new Error('the video was canceled') : undefined);
    await expect(whileStorageUnavailable(down, Date.now() + 60_000, undefined, stop)).rejects.toThrow('the video was canceled');
    expect(tries).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
