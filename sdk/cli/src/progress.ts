/** The fields progress lines read. `queue_position`, `estimated_start_at` and `estimated_completion_at` come with queueing; older servers leave them out. */
export interface VideoLike {
  id: string;
  status: string;
  queue_position?: number | null;
  estimated_start_at?: string | null;
  started_at?: string | null;
  error?: { code?: string; message?: string } | null;
  output?: { url?: string; duration_seconds?: number } | null;
}

export interface BatchLike {
  id: string;
  status: string;
  request_counts: Record<string, number>;
  estimated_completion_at?: string | null;
}

/** "in 2 min", "in 40 s", "now": a coarse duration until `at`. */
export function untilText(at: string, now: number): string {
  const seconds = Math.round((Date.parse(at) - now) / 1000);
  if (!Number.isFinite(seconds) || seconds <= 0) return 'now';
  if (seconds < 90) return `in ${seconds} s`;
  if (seconds < 90 * 60) return `in ${Math.round(seconds / 60)} min`;
  return `in ${Math.round(seconds / 3600)} h`;
}

/** One line of a video's progress: its status, and while queued its place in line and expected start when the server says them. */
export function describeVideo(video: VideoLike, now = Date.now()): string {
  const parts = [`${video.id} ${video.status}`];
  if (video.status === 'queued') {
    if (typeof video.queue_position === 'number') parts.push(video.queue_position === 1 ? 'next in line' : `#${video.queue_position} in line`);
    if (video.estimated_start_at) parts.push(`starts ${untilText(video.estimated_start_at, now)}`);
  }
  if (video.status === 'running' && video.started_at) parts.push(`for ${Math.max(0, Math.round((now - Date.parse(video.started_at)) / 1000))} s`);
  if (video.status === 'failed' && video.error) parts.push(`${video.error.code}: ${video.error.message}`);
  return parts.join(' · ');
}

/** Items that will not change any more: succeeded, failed, canceled or expired. */
export const batchDone = (b: BatchLike) => ['succeeded', 'failed', 'canceled', 'expired'].reduce((n, k) => n + (b.request_counts[k] ?? 0), 0);

/** One line of a batch's progress: a bar, done of total, failures and, when the server estimates it, the ETA. */
export function describeBatch(batch: BatchLike, now = Date.now()): string {
  const total = batch.request_counts.total ?? 0;
  const done = batchDone(batch);
  const width = 20;
  const filled = total ? Math.round((done / total) * width) : 0;
  const parts = [`${batch.id} ${batch.status}`, `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total} done`];
  if (batch.request_counts.failed) parts.push(`${batch.request_counts.failed} failed`);
  if (batch.request_counts.queued) parts.push(`${batch.request_counts.queued} queued`);
  if (batch.estimated_completion_at && done < total) parts.push(`ETA ${untilText(batch.estimated_completion_at, now)}`);
  return parts.join(' · ');
}
