import type { SubnetReading } from '../chain/index.js';
import { parseCommitment } from './model-commitment.js';
import type { RankedMiner, UnrankedMiner } from './miner-snapshot.entity.js';

/**
 * Ranks by incentive, best first. Validators weight the whole king chain (the king and up to four
 * earlier kings) equally, so incentive ties at the top; of tied miners the one whose (valid,
 * latest) commitment is newest ranks first, as the king was crowned after the earlier kings
 * (then lower UID, for a stable order). UID 0 and the owner's hotkey are the owner's
 * burn UID, not a model; a miner whose commitment names no model we may serve (none, junk, the
 * stale v3 format, another author's hotkey) is left out with the reason.
 */
export function rankMiners(reading: SubnetReading): { ranking: RankedMiner[]; unranked: UnrankedMiner[] } {
  const ranking: RankedMiner[] = [];
  const unranked: UnrankedMiner[] = [];
  const byIncentive = [...reading.miners].sort((a, b) => b.incentive - a.incentive || (b.commitmentBlock ?? -1) - (a.commitmentBlock ?? -1) || a.uid - b.uid);
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
    if (verdict.ok) ranking.push({ ...base, model: verdict.ref.model, model_revision: verdict.ref.revision, committed_block: m.commitmentBlock });
    else unranked.push({ ...base, reason: verdict.reason });
  }
  return { ranking, unranked };
}
