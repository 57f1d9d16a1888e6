import type { SubnetReading } from '../chain/index.js';
import { parseModelRef } from './model-commitment.js';
import type { RankedMiner, UnrankedMiner } from './miner-snapshot.entity.js';

/**
 * Ranks by incentive, best first (ties: lower UID). UID 0 and the owner's hotkey are the owner's
 * burn UID, not a model; a miner whose commitment names no model cannot be served.
 */
export function rankMiners(reading: SubnetReading): { ranking: RankedMiner[]; unranked: UnrankedMiner[] } {
  const ranking: RankedMiner[] = [];
  const unranked: UnrankedMiner[] = [];
  const byIncentive = [...reading.miners].sort((a, b) => b.incentive - a.incentive || a.uid - b.uid);
  for (const m of byIncentive) {
    const base = { uid: m.uid, hotkey: m.hotkey, incentive: m.incentive };
    if (m.uid === 0 || m.hotkey === reading.ownerHotkey) {
      unranked.push({ ...base, reason: 'owner_uid' });
      continue;
    }
    const ref = parseModelRef(m.commitment);
    if (ref) ranking.push({ ...base, model: ref.model, model_revision: ref.revision });
    else unranked.push({ ...base, reason: m.commitment === null ? 'no_commitment' : 'commitment_unparseable' });
  }
  return { ranking, unranked };
}
