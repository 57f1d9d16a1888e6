import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';

/**
 * The narrowest proxy type of subtensor's runtime that lets SubtensorModule::add_stake_burn
 * through. In opentensor/subtensor at spec 424 (commit 3b94406a1b6dfabe5b82ce0fa574f1218299e04f,
 * runtime/src/lib.rs, `define_proxy_filters!`, lines 628–651) NonFungible is a deny list of
 * Balances::* and every stake-moving, coldkey-swapping and registering call, add_stake_burn not
 * among them; the Staking allow list (lines 690–702) does not name add_stake_burn, and the other
 * types that pass it (Any, NonTransfer, NonCritical) permit strictly more. See docs/treasury-runbook.md.
 */
export const BURN_PROXY_TYPE = 'NonFungible';

export interface BurnCallArgs {
  hotkey: string;
  netuid: number;
  amountRao: bigint;
  limitPriceRao: bigint;
  /** Sent with System.remark_with_event inside Utility.batch_all when given. */
  memo: string | null;
  /** The coldkey a proxy signs for, or null when the coldkey signs itself. */
  real: string | null;
}

/**
 * add_stake_burn, wrapped in Proxy.proxy(real, NonFungible, …) when a proxy signs. The memo's
 * remark goes beside the proxy call in the batch, not inside it: it is the proxy's own remark and
 * needs no permission of the coldkey's.
 */
export function burnExtrinsic(api: ApiPromise, args: BurnCallArgs): SubmittableExtrinsic<'promise'> {
  const burn = api.tx.subtensorModule!.addStakeBurn!(args.hotkey, args.netuid, args.amountRao, args.limitPriceRao);
  const call = args.real ? api.tx.proxy!.proxy!(args.real, BURN_PROXY_TYPE, burn) : burn;
  return args.memo ? api.tx.utility!.batchAll!([call, api.tx.system!.remarkWithEvent!(args.memo)]) : call;
}
