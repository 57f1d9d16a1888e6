import type { KeyringPair } from '@polkadot/keyring/types';

/**
 * The treasury coldkey: sr25519, SS58 prefix 42 (Bittensor). The secret never leaves this function's
 * caller. The chain libraries are loaded on first use, not when the process starts (see ChainClient).
 */
export async function treasurySigner(secret: string): Promise<KeyringPair> {
  const [{ Keyring }, { cryptoWaitReady }] = await Promise.all([import('@polkadot/api'), import('@polkadot/util-crypto')]);
  await cryptoWaitReady();
  return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(secret);
}
