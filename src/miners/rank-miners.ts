import type { SubnetReading } from '../chain/index.js';
import { parseCommitment } from './model-commitment.js';
import type { RankedMiner, UnrankedMiner } from './miner-snapshot.entity.js';

/**
 * Ranks by incentive, best first (ties: lower UID). UID 0 and the owner's hotkey are the owner's
 * burn UID, not a model; a miner whose commitment names no model we may serve (none, junk, the
 * stale v3 format, another author's hotkey) is left out with the reason.
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
    if (m.commitment === null) {
      unranked.push({ ...base, reason: 'no_commitment' });
      continue;
    }
    const verdict = parseCommitment(m.commitment, m.hotkey);
    if (verdict.ok) ranking.push({ ...base, model: verdict.ref.model, model_revision: verdict.ref.revision });
    else unranked.push({ ...base, reason: verdict.reason });
  }
  return { ranking, unranked };
}
