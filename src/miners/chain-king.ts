import type { RankedMiner } from './miner-snapshot.entity.js';

export interface ChainKing {
  /** The ranking with the king first, its entry naming the model it was crowned with. */
  ranking: RankedMiner[];
  /** More than one ranked miner shares the top incentive: the chain cannot say which is king. */
  ambiguous: boolean;
  /** The king's own newer commitment, queued as a challenger, when it differs from the crowned one. */
  challenger: RankedMiner | null;
}

const topTied = (ranking: RankedMiner[]) => ranking.filter((m) => m.incentive === ranking[0]?.incentive);

/**
 * Who is king from the chain alone, and with which model, given this read's ranking (ties at the
 * top already ordered newest valid reveal first) and the last snapshot's (already so corrected).
 *
 * - Which hotkey: a crowning adds the new king to the king chain, whose members tie on incentive.
 *   So a hotkey that joined the tied group since the last snapshot is the new king (the newest
 *   reveal among several); with no newcomer the last king stays king, even if an earlier king has
 *   since revealed a newer commitment (a challenger, not a crowning). With no history, the newest
 *   valid reveal.
 * - Which model: a challenger is judged on the commitment it has when it is dueled, so a new king
 *   was crowned with its latest commitment; for as long as it stays king that model is kept, and a
 *   newer commitment of its own is a queued challenger.
 *
 * What the chain cannot show: whether the sitting king's own challenger has since won (hotkey and
 * incentive do not change), nor, on a first reading, whether the king's latest commitment came
 * after its coronation. Dashboards (KING_DASHBOARD_URLS) know both.
 */
export function chainKing(ranking: RankedMiner[], previous: RankedMiner[] | null): ChainKing {
  const tied = topTied(ranking);
  if (tied.length === 0) return { ranking, ambiguous: false, challenger: null };
  const before = previous ? topTied(previous) : [];
  const previousKing = before[0];
  const newcomer = tied.find((m) => !before.some((p) => p.hotkey === m.hotkey));
  const king = (previousKing && !newcomer && tied.find((m) => m.hotkey === previousKing.hotkey)) || newcomer || tied[0]!;
  const rest = ranking.filter((m) => m !== king);
  const ambiguous = tied.length > 1;
  if (previousKing?.hotkey !== king.hotkey || (previousKing.model === king.model && previousKing.model_revision === king.model_revision))
    return { ranking: [king, ...rest], ambiguous, challenger: null };
  const crowned = { ...king, model: previousKing.model, model_revision: previousKing.model_revision, committed_block: previousKing.committed_block ?? null };
  return { ranking: [crowned, ...rest], ambiguous, challenger: king };
}
