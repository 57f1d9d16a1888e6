import type { Video } from '../../../sdk/js/src/index.js';
import { money, seconds, when } from '../api/format.js';
import { StatusBadge } from '../ui/status.js';

/** A video's player (once it succeeded), cost and provenance: shared by the playground and the detail page. */
export function VideoPlayer({ video }: { video: Video }) {
  if (video.status !== 'succeeded' || !video.output) return null;
  return (
    <figure class="player">
      {/* biome-ignore lint/a11y/useMediaCaption: generated videos carry no speech or sound to caption; the prompt is the label */}
      <video
        controls
        playsInline
        preload="metadata"
        src={video.output.url}
        poster={video.output.poster_url ?? undefined}
        aria-label={`Video: ${video.prompt}`}
      />
      <figcaption>
        <a href={video.output.url} download={`${video.id}.mp4`}>
          Download MP4
        </a>{' '}
        <span class="muted">
          ({video.output.width}×{video.output.height}, {video.output.fps} fps, {(video.output.bytes / 1024).toFixed(0)} KiB)
        </span>
      </figcaption>
    </figure>
  );
}

/** The queue fields of a video waiting for a slot (issue 32's queue; absent on a server without it). */
interface Queued {
  queue_position?: number | null;
  estimated_start_at?: string | null;
  start_by?: string | null;
}

/** Where a queued video stands: its place in the tenant's queue, when it should start, and when it expires unless started. */
export function QueueInfo({ video }: { video: Video }) {
  const q = video as Video & Queued;
  if (video.status !== 'queued' || q.queue_position == null) return null;
  return (
    <span class="muted" data-testid="queue-info">
      {' '}
      #{q.queue_position} in the queue
      {q.estimated_start_at ? ` · starts about ${when(q.estimated_start_at)}` : ''}
      {q.start_by ? ` · expires unless started by ${when(q.start_by)}` : ''}
    </span>
  );
}

export function VideoFacts({ video }: { video: Video }) {
  return (
    <dl class="facts">
      <dt>Status</dt>
      <dd>
        <StatusBadge status={video.status} />
        <QueueInfo video={video} />
        {video.error ? (
          <span>
            {' '}
            {video.error.message} (<code>{video.error.code}</code>)
          </span>
        ) : null}
      </dd>
      <dt>Prompt</dt>
      <dd>{video.prompt}</dd>
      <dt>Length</dt>
      <dd>
        {seconds(video.duration_seconds)} · {video.resolution} · {video.aspect_ratio}
      </dd>
      {video.seed !== null ? (
        <>
          <dt>Seed</dt>
          <dd data-testid="seed">{video.seed}</dd>
        </>
      ) : null}
      <dt>Cost</dt>
      <dd>
        {video.cost
          ? `${money(video.cost.amount, video.cost.currency)} (${seconds(video.cost.included_seconds_used)} included, ${seconds(video.cost.overage_seconds)} overage)`
          : 'known once it has run'}
      </dd>
      <dt>Model</dt>
      <dd>
        {video.provenance ? (
          <>
            <code>{video.provenance.model}</code>@<code class="digest">{video.provenance.model_revision}</code>
            {video.provenance.miner_hotkey ? (
              <>
                {' '}
                by miner {video.provenance.miner_uid} (<code class="digest">{video.provenance.miner_hotkey}</code>)
              </>
            ) : null}
            {video.provenance.ranking_block ? `, ranking block ${video.provenance.ranking_block}` : ''}, backend <code>{video.provenance.backend_id}</code>
          </>
        ) : (
          <code>{video.model}</code>
        )}
      </dd>
      <dt>Created</dt>
      <dd>{when(video.created_at)}</dd>
      {Object.keys(video.metadata).length > 0 ? (
        <>
          <dt>Metadata</dt>
          <dd>
            {Object.entries(video.metadata).map(([k, v]) => (
              <span class="tag" key={k}>
                {k}={v}
              </span>
            ))}
          </dd>
        </>
      ) : null}
    </dl>
  );
}
