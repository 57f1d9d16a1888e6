import type { ApiDecoration } from '@polkadot/api/types';
import type { Codec } from '@polkadot/types/types';
import type { PinnedBlock } from './chain-client.js';

export interface MinerReading {
  uid: number;
  hotkey: string;
  /** Incentive as stored: u16, where 65535 is the whole subnet's incentive. */
  incentive: number;
  /** The miner's latest commitment as text, or null when it has none. */
  commitment: string | null;
  /** The block that commitment was revealed (or, a plain one, stored) at; null when unknown. */
  commitmentBlock: number | null;
}

export interface SubnetReading {
  block: PinnedBlock;
  tempo: number;
  ownerHotkey: string | null;
  miners: MinerReading[];
}

/**
 * Reads what the miner directory needs at one pinned block: Tempo, Incentive, the hotkeys of the
 * UIDs that earn incentive, and their commitments from the Commitments pallet (a revealed
 * timelocked commitment wins over a plain one, being the newer mechanism).
 */
export async function readSubnet(at: ApiDecoration<'promise'>, block: PinnedBlock, netuid: number): Promise<SubnetReading> {
  const sub = at.query.subtensorModule!;
  const [tempo, incentive, owner] = await Promise.all([sub.tempo!(netuid), sub.incentive!(netuid), sub.subnetOwnerHotkey!(netuid)]);
  const earning = (incentive as unknown as Codec[]).map((v, uid) => ({ uid, incentive: Number(v.toString()) })).filter((m) => m.incentive > 0);
  const keys = earning.length ? await sub.keys!.multi(earning.map((m) => [netuid, m.uid])) : [];
  const hotkeys = keys.map((k) => k.toString());
  const pairs = hotkeys.map((h) => [netuid, h]);
  const [revealed, plain] = pairs.length
    ? await Promise.all([at.query.commitments!.revealedCommitments!.multi(pairs), at.query.commitments!.commitmentOf!.multi(pairs)])
    : [[], []];
  const ownerHotkey = owner.toString();
  return {
    block,
    tempo: Number(tempo.toString()),
    ownerHotkey: ownerHotkey || null,
    miners: earning.map((m, i) => ({ ...m, hotkey: hotkeys[i]!, ...(revealedCommitment(revealed[i]) ?? plainCommitment(plain[i])) })),
  };
}

/**
 * Vec<(Bytes, u64)>: the entry revealed at the highest block, well-formed or not. The subnet's
 * validators do the same: a malformed latest reveal leaves the hotkey out rather than falling back
 * to an older valid one, so a miner cannot keep serving a model it has since replaced.
 */
function revealedCommitment(value: Codec | undefined): Pick<MinerReading, 'commitment' | 'commitmentBlock'> | null {
  const entries = (value?.toJSON() ?? []) as [string, number][];
  if (!Array.isArray(entries) || entries.length === 0) return null;
  const latest = entries.reduce((a, b) => (Number(b[1]) >= Number(a[1]) ? b : a));
  const text = bytesText(latest[0]);
  return text === null ? null : { commitment: text, commitmentBlock: blockNumber(latest[1]) };
}

/** Option<Registration>: the Raw fields of its CommitmentInfo, joined, and the block it was stored at. */
function plainCommitment(value: Codec | undefined): Pick<MinerReading, 'commitment' | 'commitmentBlock'> {
  const json = value?.toJSON() as { block?: unknown; info?: { fields?: Record<string, string>[] } } | null | undefined;
  const raws = (json?.info?.fields ?? []).flatMap((f) =>
    Object.entries(f)
      .filter(([k]) => /^raw\d+$/i.test(k))
      .map(([, v]) => bytesText(v)),
  );
  const text = raws.filter((t): t is string => t !== null).join('');
  return { commitment: text || null, commitmentBlock: text ? blockNumber(json?.block) : null };
}

function blockNumber(v: unknown): number | null {
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** `0x`-prefixed hex of whole bytes, as the node sends byte strings. */
const HEX_BYTES = /^0x(?:[\da-fA-F]{2})*$/;

function bytesText(hex: unknown): string | null {
  if (typeof hex !== 'string') return null;
  return HEX_BYTES.test(hex) ? Buffer.from(hex.slice(2), 'hex').toString('utf8') : hex;
}
