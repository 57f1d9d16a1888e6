import { readFile } from 'node:fs/promises';
import type { KeyringPair } from '@polkadot/keyring/types';
import { EnvError } from '../platform/config/define-env.js';
import { treasuryEnv } from './treasury.env.js';

/** Who signs burns, and for whom. */
export interface TreasurySigner {
  pair: KeyringPair;
  /** The coldkey the proxy signs for (Proxy.proxy's `real`); null when `pair` is the coldkey itself (development). */
  real: string | null;
}

const problem = (name: string, message: string) => new EnvError(`Invalid configuration for treasury:\n  ${name}: ${message}`);

/** The chain libraries are loaded on first use, not when the process starts (see ChainClient). */
async function keyring() {
  const [{ Keyring }, { cryptoWaitReady }] = await Promise.all([import('@polkadot/api'), import('@polkadot/util-crypto')]);
  await cryptoWaitReady();
  return new Keyring({ type: 'sr25519', ss58Format: 42 });
}

async function readSecretFile(name: string, path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (e) {
    throw problem(name, `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * The proxy's key from its mounted file(s): an encrypted keystore JSON unlocked with the passphrase
 * file, or a mnemonic file. The library's messages may quote the secret: only what is wrong is said.
 */
async function proxyPair(): Promise<KeyringPair> {
  const env = treasuryEnv.get();
  const ring = await keyring();
  if (env.TREASURY_SIGNER_KEYSTORE_FILE) {
    if (env.TREASURY_SIGNER_MNEMONIC_FILE) throw problem('TREASURY_SIGNER_MNEMONIC_FILE', 'set either a keystore file or a mnemonic file, not both');
    if (!env.TREASURY_SIGNER_PASSPHRASE_FILE) throw problem('TREASURY_SIGNER_PASSPHRASE_FILE', 'required with TREASURY_SIGNER_KEYSTORE_FILE');
    const json = await readSecretFile('TREASURY_SIGNER_KEYSTORE_FILE', env.TREASURY_SIGNER_KEYSTORE_FILE);
    const passphrase = await readSecretFile('TREASURY_SIGNER_PASSPHRASE_FILE', env.TREASURY_SIGNER_PASSPHRASE_FILE);
    let pair: KeyringPair;
    try {
      pair = ring.addFromJson(JSON.parse(json) as Parameters<typeof ring.addFromJson>[0]);
    } catch {
      throw problem('TREASURY_SIGNER_KEYSTORE_FILE', 'not a polkadot-js keystore JSON');
    }
    try {
      pair.decodePkcs8(passphrase);
    } catch {
      throw problem('TREASURY_SIGNER_PASSPHRASE_FILE', 'does not unlock the keystore');
    }
    return pair;
  }
  const mnemonic = await readSecretFile('TREASURY_SIGNER_MNEMONIC_FILE', env.TREASURY_SIGNER_MNEMONIC_FILE!);
  try {
    return ring.addFromUri(mnemonic);
  } catch {
    throw problem('TREASURY_SIGNER_MNEMONIC_FILE', 'not a valid sr25519 secret (a mnemonic or a URI)');
  }
}

/**
 * The burn signer, or null while TREASURY_BURNS_LIVE is off. With live burns on, a missing key or
 * one that makes no pair is a configuration error, found before the worker starts (main-worker).
 * A key file makes a proxy of TREASURY_COLDKEY; TREASURY_SIGNER_SECRET is the coldkey itself, for
 * development (`warn` is told when that happens with NODE_ENV=production).
 */
export async function loadTreasurySigner(production: boolean, warn: (message: string) => void = () => undefined): Promise<TreasurySigner | null> {
  const env = treasuryEnv.get();
  if (!env.TREASURY_BURNS_LIVE) return null;
  if (env.TREASURY_SIGNER_KEYSTORE_FILE || env.TREASURY_SIGNER_MNEMONIC_FILE) {
    if (!env.TREASURY_COLDKEY) throw problem('TREASURY_COLDKEY', 'required with a proxy key file: the coldkey the proxy signs for');
    const pair = await proxyPair();
    if (pair.address === env.TREASURY_COLDKEY)
      throw problem('TREASURY_SIGNER_KEYSTORE_FILE', 'holds the coldkey itself; mount the key of a proxy of the coldkey (docs/treasury-runbook.md)');
    return { pair, real: env.TREASURY_COLDKEY };
  }
  if (!env.TREASURY_SIGNER_SECRET) {
    throw problem(
      'TREASURY_SIGNER_KEYSTORE_FILE',
      'a signing key is required on the worker while TREASURY_BURNS_LIVE is on: mount a proxy keystore (or mnemonic) file on worker pods only',
    );
  }
  let pair: KeyringPair;
  try {
    pair = (await keyring()).addFromUri(env.TREASURY_SIGNER_SECRET);
  } catch {
    throw problem('TREASURY_SIGNER_SECRET', 'not a valid sr25519 secret (a mnemonic or a URI such as //Alice)');
  }
  if (env.TREASURY_COLDKEY && env.TREASURY_COLDKEY !== pair.address)
    throw problem('TREASURY_SIGNER_SECRET', `is not the key of TREASURY_COLDKEY (it makes ${pair.address})`);
  if (production) {
    warn(
      '!!! TREASURY_SIGNER_SECRET holds the treasury COLDKEY in the environment of a production worker: whoever can read it can move every TAO on the coldkey. ' +
        'Add a NonFungible proxy and mount its key file instead (TREASURY_SIGNER_KEYSTORE_FILE, docs/treasury-runbook.md). !!!',
    );
  }
  return { pair, real: null };
}
