import { z } from 'zod';
import { bool, defineEnv, int } from '../platform/config/define-env.js';

const ss58 = z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{46,48}$/, 'must be an SS58 address');
/** A mounted file's path; empty is the same as unset. */
const path = z
  .string()
  .optional()
  .transform((v) => v || undefined);
const rao = (fallback: string) =>
  z
    .string()
    .regex(/^\d{1,19}$/, 'must be an integer number of RAO')
    .default(fallback)
    .transform((v) => BigInt(v));

export const treasuryEnv = defineEnv(
  'treasury',
  {
    /** Share of each revenue entry allocated to buy-and-burn, in basis points (1000 = 10 %): seeds burn policy version 1; finance changes it through /v1/treasury/policies. */
    TREASURY_BURN_SHARE_BPS: int(1_000, 0, 10_000),
    /**
     * Sign and submit burns (live mode) when SUBTENSOR_WS_URL and TREASURY_HOTKEY are set too;
     * otherwise every burn is planned and recorded as dry_run and nothing is signed. Every role reads
     * it (the API to say which mode it is in); only the worker signs, and it refuses to start with it
     * on and no usable signing key (see the TREASURY_SIGNER_* settings).
     */
    TREASURY_BURNS_LIVE: bool(false),
    /**
     * The treasury coldkey (SS58): a funding must be a transfer into it (refused while it is unset),
     * and the proxy key signs burns on its behalf. Every role reads it; it is an address, not a secret.
     */
    TREASURY_COLDKEY: ss58.optional(),
    /**
     * The proxy's key as an encrypted polkadot-js keystore JSON file (mounted from a Secret on worker
     * pods), unlocked with the passphrase in TREASURY_SIGNER_PASSPHRASE_FILE. The proxy signs
     * Proxy.proxy(TREASURY_COLDKEY, NonFungible, add_stake_burn); it never holds the coldkey's TAO.
     */
    TREASURY_SIGNER_KEYSTORE_FILE: path,
    TREASURY_SIGNER_PASSPHRASE_FILE: path,
    /** Or the proxy's mnemonic (or secret URI) in a file, instead of a keystore. */
    TREASURY_SIGNER_MNEMONIC_FILE: path,
    /**
     * Development only: the coldkey's own secret (mnemonic, or a dev URI such as //Alice), sr25519,
     * which then signs burns directly. A process with it and NODE_ENV=production logs a loud warning:
     * whoever reads the environment can move every TAO on the coldkey. Empty is the same as unset.
     */
    TREASURY_SIGNER_SECRET: z
      .string()
      .optional()
      .transform((v) => v || undefined),
    /** The hotkey the alpha is bought through (SS58); the subnet owner's hotkey is the usual choice. */
    TREASURY_HOTKEY: ss58.optional(),
    /** The limit price is the current price × (1 + this), in basis points; with a limit the burn is fill-or-kill. Seeds burn policy version 1. */
    TREASURY_MAX_SLIPPAGE_BPS: int(100, 1, 5_000),
    /** Kept on the coldkey for transaction fees; a burn is at least the chain minimum (2,000,000 RAO) plus this. */
    TREASURY_FEE_RESERVE_RAO: rao('1000000'),
    /** The most TAO one burn spends; the rest waits for the next run. */
    TREASURY_MAX_BURN_RAO: rao('100000000000'),
    /** Mortal era length in blocks: a transaction never included is provably dead after it. */
    TREASURY_ERA_PERIOD: int(64, 4, 4_096),
    /** How often the worker runs the burn job; 0 disables the schedule (POST /v1/treasury/burns still queues a run). Seeds burn policy version 1. */
    TREASURY_BURN_INTERVAL_MS: int(0, 0, 7 * 24 * 3_600_000),
    /** How often the worker allocates new revenue entries; finance's reports show an entry's allocation within about this long. */
    TREASURY_ALLOCATION_INTERVAL_MS: int(30_000, 100, 3_600_000),
    /** How long POST /v1/treasury/burns waits for a worker to plan the queued run before answering `queued`. */
    TREASURY_RUN_WAIT_MS: int(10_000, 0, 60_000),
    /** How often a waiting burn looks at the finalized head. */
    TREASURY_POLL_MS: int(3_000, 10, 60_000),
    /** Send the burn in Utility.batch_all with System.remark_with_event carrying the hash of the allocations it covers. */
    TREASURY_ONCHAIN_MEMO: bool(false),
    /** Block explorer link for a burn: {block}, {index} and {hash} are replaced. */
    TREASURY_EXPLORER_URL: z.string().url().default('https://taostats.io/extrinsic/{block}-{index}'),
  },
  { secrets: ['TREASURY_SIGNER_SECRET'] },
);

/** Live burns are configured: the flag, a chain endpoint and a hotkey. Whether the worker holds the key is the worker's to check at start. */
export function burnsLive(chainConfigured: boolean): boolean {
  const env = treasuryEnv.get();
  return env.TREASURY_BURNS_LIVE && chainConfigured && Boolean(env.TREASURY_HOTKEY);
}
