import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { loadTreasurySigner } from '../../src/treasury/treasury-keyfile.js';
import { treasuryEnv } from '../../src/treasury/treasury.env.js';
import { EnvError } from '../../src/platform/config/define-env.js';

/**
 * The burn signer comes from mounted files: an encrypted polkadot-js keystore with its passphrase
 * file, or a mnemonic file, of a proxy of TREASURY_COLDKEY. The coldkey's own secret in the
 * environment still works for development, and says so loudly in production.
 */
const saved = { ...process.env };
const dir = mkdtempSync(join(tmpdir(), 'leoma-keyfile-'));
let coldkey: string;
let proxyMnemonic: string;
let proxyAddress: string;

const load = async (env: Record<string, string>, production = false) => {
  process.env = { ...saved, TREASURY_BURNS_LIVE: 'true', ...env };
  delete process.env.TREASURY_SIGNER_SECRET;
  Object.assign(process.env, env);
  treasuryEnv.reload();
  const warnings: string[] = [];
  const signer = await loadTreasurySigner(production, (m) => warnings.push(m));
  return { signer, warnings };
};
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
};

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  coldkey = keyring.addFromUri('//Alice').address;
  proxyMnemonic = mnemonicGenerate();
  proxyAddress = keyring.addFromUri(proxyMnemonic).address;
});
afterEach(() => {
  process.env = { ...saved };
  treasuryEnv.reload();
});

describe('the treasury signer from mounted files', () => {
  it('unlocks an encrypted keystore with its passphrase file: a proxy signing for the coldkey', async () => {
    const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(proxyMnemonic);
    const keystore = file('proxy.json', JSON.stringify(pair.toJson('correct horse battery staple')));
    const passphrase = file('passphrase', 'correct horse battery staple\n');
    const { signer, warnings } = await load(
      { TREASURY_COLDKEY: coldkey, TREASURY_SIGNER_KEYSTORE_FILE: keystore, TREASURY_SIGNER_PASSPHRASE_FILE: passphrase },
      true,
    );
    expect(signer!.pair.address).toBe(proxyAddress);
    expect(signer!.pair.isLocked).toBe(false);
    expect(signer!.real).toBe(coldkey);
    expect(warnings).toEqual([]);
    // A wrong passphrase names the setting, never the secret.
    const wrong = file('wrong', 'not the passphrase');
    const error = await load({ TREASURY_COLDKEY: coldkey, TREASURY_SIGNER_KEYSTORE_FILE: keystore, TREASURY_SIGNER_PASSPHRASE_FILE: wrong }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EnvError);
    expect(String(error)).toContain('TREASURY_SIGNER_PASSPHRASE_FILE: does not unlock the keystore');
    expect(String(error)).not.toContain('not the passphrase');
  });

  it('reads a mnemonic file; refuses a key file without TREASURY_COLDKEY, or one holding the coldkey itself', async () => {
    const mnemonic = file('mnemonic', `${proxyMnemonic}\n`);
    expect((await load({ TREASURY_COLDKEY: coldkey, TREASURY_SIGNER_MNEMONIC_FILE: mnemonic })).signer).toMatchObject({
      real: coldkey,
      pair: { address: proxyAddress },
    });
    await expect(load({ TREASURY_SIGNER_MNEMONIC_FILE: mnemonic })).rejects.toThrow(/TREASURY_COLDKEY: required with a proxy key file/);
    await expect(load({ TREASURY_COLDKEY: coldkey, TREASURY_SIGNER_MNEMONIC_FILE: file('alice', '//Alice') })).rejects.toThrow(/holds the coldkey itself/);
    await expect(load({ TREASURY_COLDKEY: coldkey, TREASURY_SIGNER_MNEMONIC_FILE: join(dir, 'absent') })).rejects.toThrow(
      /TREASURY_SIGNER_MNEMONIC_FILE: cannot read .*ENOENT/,
    );
  });

  it('the coldkey secret in the environment signs directly, with a loud warning in production only', async () => {
    const dev = await load({ TREASURY_SIGNER_SECRET: '//Alice' });
    expect(dev.signer).toMatchObject({ real: null, pair: { address: coldkey } });
    expect(dev.warnings).toEqual([]);
    const prod = await load({ TREASURY_SIGNER_SECRET: '//Alice' }, true);
    expect(prod.signer!.real).toBeNull();
    expect(prod.warnings).toHaveLength(1);
    expect(prod.warnings[0]).toMatch(/TREASURY_SIGNER_SECRET holds the treasury COLDKEY.*production/);
    expect(prod.warnings[0]).not.toContain('//Alice');
    await expect(load({ TREASURY_SIGNER_SECRET: '//Alice', TREASURY_COLDKEY: proxyAddress })).rejects.toThrow(
      /TREASURY_SIGNER_SECRET: is not the key of TREASURY_COLDKEY/,
    );
  });
});
