import type { RankedMiner } from './miner-snapshot.entity.js';

export interface ChainKing {
  /** The ranking with the king's entry naming its crowned model. */
  ranking: RankedMiner[];
  /** More than one ranked miner shares the top incentive: the chain cannot say which is king. */
  ambiguous: boolean;
  /** The king's own newer commitment, queued as a challenger, when it differs from the crowned one. */
  challenger: RankedMiner | null;
}

/**
 * Who is king from the chain alone, and with which model. The chain has no record of a
 * coronation: a challenger is judged on the commitment it has when it is dueled, so a hotkey that
 * becomes king is taken to have been crowned with the commitment it had then (its latest), and
 * that model is kept for as long as the same hotkey stays on top (`previousKing`, the king of the
 * last snapshot, already so corrected). A newer commitment by the sitting king is only a queued
 * challenger. What the chain cannot show: whether that challenger has since won (the hotkey and
 * its incentive do not change), nor, on a first reading, whether the king's latest commitment was
 * made after its coronation. Dashboards (KING_DASHBOARD_URLS) know both.
 */
export function chainKing(ranking: RankedMiner[], previousKing: RankedMiner | null): ChainKing {
  const [top, ...rest] = ranking;
  if (!top) return { ranking, ambiguous: false, challenger: null };
  const ambiguous = rest.some((m) => m.incentive === top.incentive);
  const sameKing = previousKing?.hotkey === top.hotkey;
  if (!sameKing || (previousKing.model === top.model && previousKing.model_revision === top.model_revision)) return { ranking, ambiguous, challenger: null };
  const crowned = { ...top, model: previousKing.model, model_revision: previousKing.model_revision, committed_block: previousKing.committed_block ?? null };
  return { ranking: [crowned, ...rest], ambiguous, challenger: top };
}
