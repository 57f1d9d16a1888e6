import { Keyring } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';

/** The treasury coldkey: sr25519, SS58 prefix 42 (Bittensor). The secret never leaves this function's caller. */
export async function treasurySigner(secret: string): Promise<KeyringPair> {
  await cryptoWaitReady();
  return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(secret);
}
