import { z } from 'zod';
import { bool, defineEnv, int } from '../platform/config/define-env.js';

const rao = (fallback: string) => z.string().regex(/^\d{1,19}$/, 'must be an integer number of RAO').default(fallback).transform((v) => BigInt(v));

export const treasuryEnv = defineEnv('treasury', {
  /** Share of each revenue entry allocated to buy-and-burn, in basis points (1000 = 10 %). */
  TREASURY_BURN_SHARE_BPS: int(1_000, 0, 10_000),
  /**
   * The treasury coldkey's secret (mnemonic, or a dev URI such as //Alice), sr25519. Without it, or
   * without SUBTENSOR_WS_URL, burns are planned and recorded as dry_run and nothing is signed.
   */
  TREASURY_SIGNER_SECRET: z.string().min(1).optional(),
  /** The hotkey the alpha is bought through (SS58); the subnet owner's hotkey is the usual choice. */
  TREASURY_HOTKEY: z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{46,48}$/, 'must be an SS58 address').optional(),
  /** The limit price is the current price × (1 + this), in basis points; with a limit the burn is fill-or-kill. */
  TREASURY_MAX_SLIPPAGE_BPS: int(100, 1, 5_000),
  /** Kept on the coldkey for transaction fees; a burn is at least the chain minimum (2,000,000 RAO) plus this. */
  TREASURY_FEE_RESERVE_RAO: rao('1000000'),
  /** The most TAO one burn spends; the rest waits for the next run. */
  TREASURY_MAX_BURN_RAO: rao('100000000000'),
  /** Mortal era length in blocks: a transaction never included is provably dead after it. */
  TREASURY_ERA_PERIOD: int(64, 4, 4_096),
  /** How often the worker runs the burn job; 0 disables the schedule (POST /v1/treasury/burns still runs it). */
  TREASURY_BURN_INTERVAL_MS: int(0, 0, 7 * 24 * 3_600_000),
  /** How often a waiting burn looks at the finalized head. */
  TREASURY_POLL_MS: int(3_000, 10, 60_000),
  /** Send the burn in Utility.batch_all with System.remark_with_event carrying the hash of the allocations it covers. */
  TREASURY_ONCHAIN_MEMO: bool(false),
  /** Block explorer link for a burn: {block}, {index} and {hash} are replaced. */
  TREASURY_EXPLORER_URL: z.string().url().default('https://taostats.io/extrinsic/{block}-{index}'),
}, { secrets: ['TREASURY_SIGNER_SECRET'] });
