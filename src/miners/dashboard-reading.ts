import { z } from 'zod';

const REPO = /^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/;
// The two snapshot schemes the subnet accepts (as in model-commitment.ts).
const DIGEST = /^(sha256:[0-9a-f]{64}|hf:[0-9a-f]{40})$/;
const SS58 = /^[1-9A-HJ-NP-Za-km-z]{47,48}$/;

const repo = z
  .string()
  .regex(REPO)
  .refine((r) => !r.includes('..'));
const digest = z.string().regex(DIGEST);
const hotkey = z.string().regex(SS58);
const uid = z.number().int().min(0).max(65_535);
const block = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const king = z.object({
  hotkey,
  uid,
  model_repo: repo,
  model_digest: digest,
  reign_number: z.number().int().min(0).max(1e9),
  crowned_at: z
    .string()
    .max(64)
    .refine((t) => !Number.isNaN(Date.parse(t)), 'not a date'),
  crowned_block: block,
});

const challenger = z.object({ hotkey: hotkey.optional(), uid: uid.optional(), model_repo: repo, model_digest: digest });

/**
 * A validator's `dashboard.json`, checked field by field: what we act on (the king, the live duels)
 * must have exactly the types and formats the subnet writes, and the lists are bounded, so a
 * hostile dashboard cannot make us serve junk or hold a huge structure. Other top-level keys (the
 * validators' own statistics) are ignored; `king` is null while there is none (emissions burn).
 */
export const dashboardSchema = z.object({
  king: king.nullable(),
  king_chain: z.array(z.object({ hotkey, uid: uid.optional() }).passthrough()).max(16),
  queue: z.array(z.record(z.string(), z.unknown())).max(10_000),
  live_duels: z.array(challenger.passthrough()).max(64),
});

export type DashboardKing = z.infer<typeof king>;
export type Challenger = z.infer<typeof challenger>;

export type DashboardVerdict = { ok: true; king: DashboardKing | null; liveDuels: Challenger[] } | { ok: false; detail: string };

/** Parses and checks fetched bytes; never throws. */
export function readDashboard(body: Buffer): DashboardVerdict {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, detail: 'not JSON' };
  }
  const parsed = dashboardSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    return { ok: false, detail: `${first.path.join('.') || '(root)'}: ${first.message}`.slice(0, 200) };
  }
  const liveDuels = parsed.data.live_duels.map((d) => ({ hotkey: d.hotkey, uid: d.uid, model_repo: d.model_repo, model_digest: d.model_digest }));
  return { ok: true, king: parsed.data.king, liveDuels };
}
