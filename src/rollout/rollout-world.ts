import { Injectable } from '@nestjs/common';
import { BackendFleet, isDigest, reportsReady, type FleetMember } from '../backends/index.js';
import { ModelRanking } from '../miners/index.js';
import type { DigestReadings, World } from './rollout-machine.js';

const PHASE_ORDER = ['fetching', 'loading', 'warming'] as const;

/** What the reconcile pass reconciles against: the crowned king and what every backend reports. */
@Injectable()
export class RolloutWorld {
  constructor(
    private readonly ranking: ModelRanking,
    private readonly fleet: BackendFleet,
  ) {}

  async read(): Promise<World> {
    const [ranking, members] = await Promise.all([this.ranking.current(), this.fleet.members()]);
    const first = ranking.entries[0];
    const king =
      first && isDigest(first.model_revision)
        ? { repo: first.model, digest: first.model_revision, minerHotkey: first.miner_hotkey, minerUid: first.miner_uid }
        : null;
    return { king, digests: digestReadings(members) };
  }
}

/** Per digest: backends READY reporting it, the furthest start-up phase of one loading it, and the calls running on its backends. */
export function digestReadings(members: FleetMember[]): Map<string, DigestReadings> {
  const out = new Map<string, DigestReadings>();
  for (const { backend, reading, inFlight } of members) {
    // What it reports wins over what it was registered for: a backend re-pointed by hand tells the truth in its health.
    const digest = reading?.model?.digest ?? (isDigest(backend.modelRevision) ? backend.modelRevision : null);
    if (!digest) continue;
    const d = out.get(digest) ?? { ready: 0, phase: null, inFlight: 0 };
    d.inFlight += inFlight;
    if (reportsReady(reading, digest)) d.ready += 1;
    else if (reading?.status === 'starting') {
      const phase = PHASE_ORDER.find((p) => p === reading.progress?.phase);
      if (phase && PHASE_ORDER.indexOf(phase) >= (d.phase ? PHASE_ORDER.indexOf(d.phase) : -1)) d.phase = phase;
    }
    out.set(digest, d);
  }
  return out;
}
