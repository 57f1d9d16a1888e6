import type { ApiPromise } from '@polkadot/api';
import type { Codec } from '@polkadot/types/types';
import type { Call, DispatchError, DispatchResult, EventRecord, Extrinsic } from '@polkadot/types/interfaces';

/** What the chain says about one included burn extrinsic: its call as decoded and the events it emitted. */
export interface ChainOutcome {
  blockNumber: number;
  blockHash: string;
  index: number;
  hash: string;
  signer: string;
  /** The coldkey a proxy signed for (Proxy.proxy's `real`), or null when the coldkey signed itself. */
  real: string | null;
  nonce: number;
  specVersion: number;
  hotkey: string | null;
  netuid: number | null;
  amountRao: string | null;
  limitPriceRao: string | null;
  success: boolean;
  failureReason: string | null;
  taoSpentRao: string | null;
  alphaBought: string | null;
  alphaBurned: string | null;
  feeRao: string | null;
  remarkHash: string | null;
}

/** Reads block `blockHash`, decodes its extrinsic at `index` and that extrinsic's events. */
export async function readOutcome(api: ApiPromise, blockHash: string, index: number): Promise<ChainOutcome> {
  const [signed, header, at] = await Promise.all([api.rpc.chain.getBlock(blockHash), api.rpc.chain.getHeader(blockHash), api.at(blockHash)]);
  const ex = signed.block.extrinsics[index];
  if (!ex) throw new Error(`block ${blockHash} has no extrinsic at index ${index}`);
  const records = (await at.query.system!.events!()) as unknown as EventRecord[];
  const mine = records.filter((r) => r.phase.isApplyExtrinsic && r.phase.asApplyExtrinsic.toNumber() === index).map((r) => r.event);
  const call = burnCall(ex);
  const proxied = proxyCall(ex);
  const [hotkey, netuid, amount, limit] = (call?.args ?? []) as Codec[];
  const find = (section: string, method: string) => mine.find((e) => e.section === section && e.method === method);
  const stakeAdded = find('subtensorModule', 'StakeAdded');
  const alphaBurned = find('subtensorModule', 'AlphaBurned');
  const addStakeBurn = find('subtensorModule', 'AddStakeBurn');
  const fee = find('transactionPayment', 'TransactionFeePaid');
  const failed = find('system', 'ExtrinsicFailed');
  const remarked = find('system', 'Remarked');
  // Proxy.proxy succeeds whatever its inner call did: the burn's own result is ProxyExecuted's.
  const proxyResult = proxied ? (find('proxy', 'ProxyExecuted')?.data[0] as DispatchResult | undefined) : undefined;
  const innerFailure = proxied
    ? proxyResult === undefined
      ? 'proxy.ProxyExecuted missing'
      : proxyResult.isErr
        ? dispatchErrorName(api, proxyResult.asErr)
        : null
    : null;
  const limitJson = limit?.toJSON();
  return {
    blockNumber: header.number.toNumber(),
    blockHash,
    index,
    hash: ex.hash.toHex(),
    signer: ex.signer.toString(),
    real: proxied ? addressOf(proxied.args[0] as Codec) : null,
    nonce: ex.nonce.toNumber(),
    specVersion: at.runtimeVersion.specVersion.toNumber(),
    hotkey: hotkey?.toString() ?? null,
    netuid: netuid ? Number(netuid.toString()) : null,
    amountRao: amount?.toString() ?? null,
    limitPriceRao: limitJson === null || limitJson === undefined ? null : String(limitJson),
    success: Boolean(find('system', 'ExtrinsicSuccess')) && !failed && innerFailure === null,
    failureReason: failed ? dispatchErrorName(api, failed.data[0] as DispatchError) : innerFailure,
    // AddStakeBurn carries both sides; StakeAdded and AlphaBurned confirm them separately.
    taoSpentRao: (addStakeBurn?.data[2] ?? stakeAdded?.data[2])?.toString() ?? null,
    alphaBought: (stakeAdded?.data[3] ?? addStakeBurn?.data[3])?.toString() ?? null,
    alphaBurned: alphaBurned?.data[2]?.toString() ?? null,
    feeRao: fee?.data[1]?.toString() ?? null,
    remarkHash: remarked?.data[1]?.toString() ?? null,
  };
}

/** The calls of `ex`: its own, or those of the Utility.batch_all that carries the memo. */
function topCalls(ex: Extrinsic): Call[] {
  return ex.method.section === 'utility' ? (ex.method.args[0] as unknown as Call[]) : [ex.method as unknown as Call];
}

/** The Proxy.proxy(real, type, add_stake_burn) a proxy signed, alone or in the memo's batch. */
export function proxyCall(ex: Extrinsic): Call | null {
  return topCalls(ex).find((c) => c.section === 'proxy' && c.method === 'proxy') ?? null;
}

/** add_stake_burn: alone, inside the Utility.batch_all that carries the memo, or inside Proxy.proxy in either. */
export function burnCall(ex: Extrinsic): Call | null {
  const calls = topCalls(ex).map((c) => (c.section === 'proxy' && c.method === 'proxy' ? (c.args[2] as Call) : c));
  return calls.find((c) => c.section === 'subtensorModule' && c.method === 'addStakeBurn') ?? null;
}

/** A MultiAddress as SS58: its Id variant's account (the only one a burn's proxy call uses). */
function addressOf(address: Codec): string {
  const json = address.toJSON() as { id?: string } | string;
  return typeof json === 'object' && json?.id ? json.id : address.toString();
}

function dispatchErrorName(api: ApiPromise, error: DispatchError): string {
  if (error.isModule) {
    const meta = api.registry.findMetaError(error.asModule);
    return `${meta.section}.${meta.name}`;
  }
  return error.type;
}
