import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { KeyringPair } from '@polkadot/keyring/types';
import { EnvError } from '../platform/config/define-env.js';
import { treasurySigner } from './chain/burn-signer.js';
import { treasuryEnv } from './treasury.env.js';

/**
 * The treasury coldkey from TREASURY_SIGNER_SECRET, or null while TREASURY_BURNS_LIVE is off. With
 * live burns on, a missing secret or one that makes no key is a configuration error: the worker
 * checks it before it starts (main-worker), so a mistyped secret stops the rollout instead of
 * failing the first burn.
 */
export async function loadTreasuryKey(): Promise<KeyringPair | null> {
  const env = treasuryEnv.get();
  if (!env.TREASURY_BURNS_LIVE) return null;
  const problem = (message: string) => new EnvError(`Invalid configuration for treasury:\n  TREASURY_SIGNER_SECRET: ${message}`);
  if (!env.TREASURY_SIGNER_SECRET) throw problem('required on the worker while TREASURY_BURNS_LIVE is on (mount it on worker pods only)');
  try {
    return await treasurySigner(env.TREASURY_SIGNER_SECRET);
  } catch {
    // The library's message may quote the secret: only say what is wrong with it.
    throw problem('not a valid sr25519 secret (a mnemonic or a URI such as //Alice)');
  }
}

/** The treasury coldkey, in the worker alone: the API never reads TREASURY_SIGNER_SECRET. */
@Injectable()
export class TreasuryKey implements OnModuleInit {
  private readonly logger = new Logger(TreasuryKey.name);
  private pair: KeyringPair | null = null;

  async onModuleInit(): Promise<void> {
    this.pair = await loadTreasuryKey();
    if (this.pair) this.logger.log(`treasury burns are signed by ${this.pair.address}`);
  }

  /** The key pair; only asked for while burns are live, when start-up has made it. */
  get(): KeyringPair {
    if (!this.pair) throw new Error('no treasury key: TREASURY_BURNS_LIVE is off');
    return this.pair;
  }
}
