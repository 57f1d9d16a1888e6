import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { DomainError } from '../platform/http/domain-error.js';
import { fetchPublicUrl } from '../platform/outbound/safe-fetch.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { readDashboard } from './dashboard-reading.js';
import { consensus, type AnsweredDashboard } from './king-consensus.js';
import { kingEnv } from './king.env.js';
import { dashboardReadings, kingAmbiguous } from './king-metrics.js';
import { KingReading, type DashboardRefusal, type KingRecord } from './king-reading.entity.js';

const REFUSALS: Record<string, DashboardRefusal> = {
  image_fetch_timeout: 'timeout',
  image_too_large: 'too_large',
  image_url_forbidden: 'private_address',
  image_url_invalid: 'invalid_url',
};

/** What is shown of a dashboard URL: no query string or credentials, should an operator have put a token there. */
export const shownUrl = (url: string): string => {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
};

/**
 * Reads every configured validator dashboard each KING_REFRESH_INTERVAL_MS in the worker role and
 * records each reading and the round's verdict in one transaction. Any number of workers may run
 * it: readings are facts with their own time, and the king is the latest verdict that agreed.
 */
@Injectable()
export class KingReader implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(KingReader.name);
  private readonly loop = new PollLoop({
    name: 'king dashboards',
    run: () => this.readDashboards(),
    next: () => kingEnv.get().KING_REFRESH_INTERVAL_MS,
    afterError: () => kingEnv.get().KING_REFRESH_INTERVAL_MS,
    logLevel: 'warn',
  });

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    if (kingEnv.get().KING_DASHBOARD_URLS.length > 0) this.loop.start();
  }

  onModuleDestroy(): void {
    void this.loop.stop();
  }

  async readDashboards(): Promise<KingReading> {
    const roundId = newId('kingReading');
    const reads = await Promise.all(kingEnv.get().KING_DASHBOARD_URLS.map((url) => this.readOne(url, roundId)));
    const rows = reads.map((r) => r.row);
    const answered = reads.flatMap((r) => (r.answered ? [r.answered] : []));
    const verdict = consensus(answered);
    const agreed = verdict.outcome === 'agreed';
    const row = this.row(roundId, {
      source: 'consensus',
      outcome: verdict.outcome,
      king: agreed ? verdict.king : null,
      liveDuels: agreed ? verdict.liveDuels : null,
      blockNumber: agreed ? String(verdict.king.crowned_block) : null,
      ambiguous: verdict.outcome === 'no_majority',
      answered: answered.length,
      agreeing: verdict.agreeing,
    });
    await this.db.transaction((tx) => tx.getRepository(KingReading).insert([...rows, row]));
    kingAmbiguous.set(row.ambiguous ? 1 : 0);
    if (agreed)
      this.logger.log(
        `king ${verdict.king.model_repo}@${verdict.king.model_digest} (uid ${verdict.king.uid}, reign ${verdict.king.reign_number}): ${verdict.agreeing} of ${answered.length} dashboards agree`,
      );
    else this.logger.warn(`no king from the dashboards (${verdict.outcome}: ${answered.length} answered of ${rows.length}); the king stays as last agreed`);
    return row;
  }

  private async readOne(url: string, roundId: string): Promise<{ row: KingReading; answered?: AnsweredDashboard }> {
    const env = kingEnv.get();
    const refused = (reason: DashboardRefusal, detail: string) => {
      this.logger.warn(`dashboard ${shownUrl(url)} refused: ${reason}: ${detail}`);
      dashboardReadings.inc({ outcome: reason });
      return { row: this.row(roundId, { source: 'dashboard', url: shownUrl(url), outcome: 'refused', reason, detail }) };
    };
    let body: Buffer;
    try {
      ({ body } = await fetchPublicUrl(url, {
        maxBytes: env.KING_DASHBOARD_MAX_BYTES,
        timeoutMs: env.KING_DASHBOARD_TIMEOUT_MS,
        accept: 'application/json',
        allowPrivateNetworks: env.KING_DASHBOARD_ALLOW_PRIVATE_URLS ? 'first-hop' : false,
      }));
    } catch (e) {
      const reason = (e instanceof DomainError && REFUSALS[e.code]) || 'unreachable';
      return refused(reason, e instanceof Error ? e.message.replace(/image/g, 'dashboard') : 'fetch failed');
    }
    const read = readDashboard(body);
    if (!read.ok) return refused('bad_shape', read.detail);
    dashboardReadings.inc({ outcome: 'answered' });
    const row = this.row(roundId, {
      source: 'dashboard',
      url: shownUrl(url),
      outcome: 'answered',
      king: read.king,
      liveDuels: read.liveDuels,
      blockNumber: read.king ? String(read.king.crowned_block) : null,
    });
    return { row, answered: { king: read.king, liveDuels: read.liveDuels } };
  }

  private row(roundId: string, fields: Partial<KingReading> & Pick<KingReading, 'source' | 'outcome'>): KingReading {
    return Object.assign(new KingReading(), {
      id: newId('kingReading'),
      roundId,
      url: null,
      reason: null,
      detail: null,
      king: null as KingRecord | null,
      liveDuels: null,
      blockNumber: null,
      ambiguous: false,
      answered: null,
      agreeing: null,
      fetchedAt: new Date(),
      ...fields,
    });
  }
}
