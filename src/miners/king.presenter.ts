import type { KingObject, KingReadingObject } from './dto/ranking.object.js';
import type { KingReading } from './king-reading.entity.js';
import type { Ranking } from './model-ranking.service.js';

const presentReading = (r: KingReading): KingReadingObject => ({
  source: r.source,
  url: r.url,
  outcome: r.outcome,
  reason: r.reason,
  detail: r.detail,
  model: r.king?.model_repo ?? null,
  model_revision: r.king?.model_digest ?? null,
  block_number: r.blockNumber === null ? null : Number(r.blockNumber),
  ambiguous: r.ambiguous,
  fetched_at: r.fetchedAt.toISOString(),
});

/** The king as /v1/models shows it: rank 1, how it was read, and the readings behind it. */
export function presentKing(r: Ranking, readings: KingReading[]): KingObject | null {
  const top = r.entries[0];
  if (!top) return null;
  const k = r.king.reading?.king;
  return {
    object: 'king',
    model: top.model,
    model_revision: top.model_revision,
    miner_hotkey: top.miner_hotkey,
    miner_uid: top.miner_uid,
    reign_number: k?.reign_number ?? null,
    crowned_at: k?.crowned_at ?? null,
    crowned_block: k?.crowned_block ?? null,
    source: r.king.source,
    ambiguous: r.king.ambiguous,
    live_duels: (r.king.reading?.liveDuels ?? []).map((d) => ({
      model: d.model_repo,
      model_revision: d.model_digest,
      miner_hotkey: d.hotkey ?? null,
      miner_uid: d.uid ?? null,
    })),
    readings: r.king.source === 'config' ? [] : readings.map(presentReading),
  };
}
