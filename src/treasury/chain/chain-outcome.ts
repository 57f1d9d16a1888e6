import type { ApiPromise } from '@polkadot/api';
import type { Codec } from '@polkadot/types/types';
import type { Call, DispatchError, EventRecord, Extrinsic } from '@polkadot/types/interfaces';

/** What the chain says about one included burn extrinsic: its call as decoded and the events it emitted. */
export interface ChainOutcome {
  blockNumber: number;
  blockHash: string;
  index: number;
  hash: string;
  signer: string;
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
  const [hotkey, netuid, amount, limit] = (call?.args ?? []) as Codec[];
  const find = (section: string, method: string) => mine.find((e) => e.section === section && e.method === method);
  const stakeAdded = find('subtensorModule', 'StakeAdded');
  const alphaBurned = find('subtensorModule', 'AlphaBurned');
  const addStakeBurn = find('subtensorModule', 'AddStakeBurn');
  const fee = find('transactionPayment', 'TransactionFeePaid');
  const failed = find('system', 'ExtrinsicFailed');
  const remarked = find('system', 'Remarked');
  const limitJson = limit?.toJSON();
  return {
    blockNumber: header.number.toNumber(),
    blockHash,
    index,
    hash: ex.hash.toHex(),
    signer: ex.signer.toString(),
    nonce: ex.nonce.toNumber(),
    specVersion: at.runtimeVersion.specVersion.toNumber(),
    hotkey: hotkey?.toString() ?? null,
    netuid: netuid ? Number(netuid.toString()) : null,
    amountRao: amount?.toString() ?? null,
    limitPriceRao: limitJson === null || limitJson === undefined ? null : String(limitJson),
    success: Boolean(find('system', 'ExtrinsicSuccess')) && !failed,
    failureReason: failed ? dispatchErrorName(api, failed.data[0] as DispatchError) : null,
    // AddStakeBurn carries both sides; StakeAdded and AlphaBurned confirm them separately.
    taoSpentRao: (addStakeBurn?.data[2] ?? stakeAdded?.data[2])?.toString() ?? null,
    alphaBought: (stakeAdded?.data[3] ?? addStakeBurn?.data[3])?.toString() ?? null,
    alphaBurned: alphaBurned?.data[2]?.toString() ?? null,
    feeRao: fee?.data[1]?.toString() ?? null,
    remarkHash: remarked?.data[1]?.toString() ?? null,
  };
}

/** add_stake_burn, alone or inside the Utility.batch_all that carries the memo. */
export function burnCall(ex: Extrinsic): Call | null {
  const calls = ex.method.section === 'utility' ? (ex.method.args[0] as unknown as Call[]) : [ex.method];
  return (calls.find((c) => c.section === 'subtensorModule' && c.method === 'addStakeBurn') as Call | undefined) ?? null;
}

function dispatchErrorName(api: ApiPromise, error: DispatchError): string {
  if (error.isModule) {
    const meta = api.registry.findMetaError(error.asModule);
    return `${meta.section}.${meta.name}`;
  }
  return error.type;
}
