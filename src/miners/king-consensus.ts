import type { Challenger, DashboardKing } from './dashboard-reading.js';

export interface AnsweredDashboard {
  king: DashboardKing | null;
  liveDuels: Challenger[];
}

export type Consensus =
  | { outcome: 'agreed'; king: DashboardKing; liveDuels: Challenger[]; agreeing: number }
  | { outcome: 'no_majority' | 'none_answered'; agreeing: number };

const modelKey = (k: DashboardKing | null) => (k ? `${k.model_repo}@${k.model_digest}` : 'none');

/**
 * The king a strict majority of the dashboards that answered name (by repo and digest; a
 * dashboard with no king votes for none). Validators read the same chain and duel the same
 * challengers, so they disagree only while one lags a crowning or misbehaves: without a majority
 * the king stays what it was rather than flapping between them.
 */
export function consensus(answered: AnsweredDashboard[]): Consensus {
  if (answered.length === 0) return { outcome: 'none_answered', agreeing: 0 };
  const votes = new Map<string, AnsweredDashboard[]>();
  for (const a of answered) votes.set(modelKey(a.king), [...(votes.get(modelKey(a.king)) ?? []), a]);
  const [, top] = [...votes].sort((x, y) => y[1].length - x[1].length)[0]!;
  const first = top[0]!;
  if (top.length * 2 <= answered.length || !first.king) return { outcome: 'no_majority', agreeing: top.length };
  // The most advanced reign among the agreeing dashboards dates the coronation; their live duels together are the challengers.
  const king = top.map((a) => a.king!).sort((x, y) => y.reign_number - x.reign_number)[0]!;
  const seen = new Set<string>();
  const liveDuels = top
    .flatMap((a) => a.liveDuels)
    .filter((d) => !seen.has(`${d.model_repo}@${d.model_digest}`) && seen.add(`${d.model_repo}@${d.model_digest}`));
  return { outcome: 'agreed', king, liveDuels, agreeing: top.length };
}
