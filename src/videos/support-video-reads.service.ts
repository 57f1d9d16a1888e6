import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { pageOf, pageWindow } from '../platform/http/pagination.js';
import { VIDEO_COLUMNS, videoFromRow, type VideoRow } from './video-rows.js';
import type { Video } from './video.entity.js';
import type { SupportVideosQuery, VideoFailureCount } from './dto/support-videos.dto.js';

const DEFAULT_FAILURE_WINDOW_MS = 30 * 86_400_000;

/** What support sees of one tenant's videos: a filtered page (as the tenant lists them: deleted ones left out), and failures counted by error code. */
@Injectable()
export class SupportVideoReads {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(tenantId: string, query: SupportVideosQuery, livemode: boolean): Promise<{ rows: Video[]; hasMore: boolean }> {
    const window = pageWindow(query);
    const values: unknown[] = [tenantId, window.limit + 1, livemode];
    let where = 'tenant_id = $1 and livemode = $3 and deleted_at is null';
    if (query.status) where += ` and status = $${values.push(query.status)}`;
    if (query.error_code) where += ` and error_code = $${values.push(query.error_code)}`;
    if (window.cursor) where += ` and id ${window.cursor.op} $${values.push(window.cursor.id)}`;
    const rows = (await this.db.query(`select ${VIDEO_COLUMNS} from videos where ${where} order by id ${window.order} limit $2`, values)) as VideoRow[];
    return pageOf(rows.map(videoFromRow), window);
  }

  /** Failed videos since `since`, grouped by code, with the latest of each (one pass over the tenant's status index). */
  async failures(
    tenantId: string,
    livemode: boolean,
    since: Date | undefined,
  ): Promise<{ since: Date; failed: number; total: number; data: VideoFailureCount[] }> {
    const from = since ?? new Date(Date.now() - DEFAULT_FAILURE_WINDOW_MS);
    const [groups, totals] = await Promise.all([
      this.db.query(
        `select distinct on (code) code, count(*) over (partition by code) as count, created_at as last_at, error_message as last_message, id as last_video_id
           from (select coalesce(error_code, 'unknown') as code, created_at, error_message, id from videos
                  where tenant_id = $1 and status = 'failed' and livemode = $2 and created_at >= $3) f
          order by code, created_at desc, id desc`,
        [tenantId, livemode, from],
      ) as Promise<{ code: string; count: string; last_at: Date; last_message: string | null; last_video_id: string }[]>,
      this.db.query(
        `select count(*) filter (where status = 'failed') as failed, count(*) as total from videos where tenant_id = $1 and livemode = $2 and created_at >= $3`,
        [tenantId, livemode, from],
      ) as Promise<{ failed: string; total: string }[]>,
    ]);
    const data = groups
      .map((g) => ({
        code: g.code,
        count: Number(g.count),
        last_at: new Date(g.last_at).toISOString(),
        last_message: g.last_message,
        last_video_id: g.last_video_id,
      }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
    return { since: from, failed: Number(totals[0]?.failed ?? 0), total: Number(totals[0]?.total ?? 0), data };
  }
}
