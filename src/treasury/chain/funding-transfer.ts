import type { ApiPromise } from '@polkadot/api';
import type { Codec } from '@polkadot/types/types';
import type { EventRecord } from '@polkadot/types/interfaces';

/** One extrinsic as a funding needs it: its Balances.Transfer events and where it stands. */
export interface ChainTransfer {
  blockNumber: number;
  blockHash: string;
  index: number;
  hash: string;
  /** At or below the finalized head: it cannot be reverted. */
  finalized: boolean;
  /** The extrinsic's own ExtrinsicSuccess (a failed one moved nothing). */
  success: boolean;
  /** The block's Timestamp.set. */
  at: Date | null;
  /** Balances.Transfer { from, to, amount } emitted by this extrinsic, in order. */
  transfers: { from: string; to: string; amountRao: bigint }[];
}

/**
 * Reads the extrinsic at `blockNumber`-`index` and its events; null when the chain has no such
 * block or no extrinsic at that index. The event name and fields are spec 424's: Balances.Transfer
 * { from: AccountId32, to: AccountId32, amount: u64 }.
 */
export async function readTransfer(api: ApiPromise, blockNumber: number, index: number): Promise<ChainTransfer | null> {
  const finalizedHead = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
  const blockHash = await api.rpc.chain.getBlockHash(blockNumber);
  if (blockHash.isEmpty) return null;
  const signed = await api.rpc.chain.getBlock(blockHash);
  const ex = signed.block.extrinsics[index];
  if (!ex) return null;
  const at = await api.at(blockHash);
  const records = (await at.query.system!.events!()) as unknown as EventRecord[];
  const mine = records.filter((r) => r.phase.isApplyExtrinsic && r.phase.asApplyExtrinsic.toNumber() === index).map((r) => r.event);
  const stamp = signed.block.extrinsics.find((x) => x.method.section === 'timestamp' && x.method.method === 'set');
  return {
    blockNumber,
    blockHash: blockHash.toHex(),
    index,
    hash: ex.hash.toHex(),
    finalized: blockNumber <= finalizedHead.number.toNumber(),
    success: mine.some((e) => e.section === 'system' && e.method === 'ExtrinsicSuccess'),
    at: stamp ? new Date(Number((stamp.method.args[0] as Codec).toString())) : null,
    transfers: mine
      .filter((e) => e.section === 'balances' && e.method === 'Transfer')
      .map((e) => ({ from: e.data[0]!.toString(), to: e.data[1]!.toString(), amountRao: BigInt(e.data[2]!.toString()) })),
  };
}
