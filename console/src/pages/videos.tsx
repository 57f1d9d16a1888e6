import { useState } from 'preact/hooks';
import type { Video } from '../../../sdk/js/src/index.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { when } from '../api/format.js';
import { useResource } from '../api/use-resource.js';
import { Link } from '../ui/router.js';
import { Loaded, StatusBadge } from '../ui/status.js';
import { QueueInfo } from './video-facts.js';

const STATUSES = ['', 'queued', 'running', 'succeeded', 'failed', 'canceled', 'expired'] as const;

/** Matches the search box against the prompt, id, custom id and every metadata key and value. */
function matches(video: Video, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const haystack = [video.id, video.prompt, video.custom_id ?? '', ...Object.entries(video.metadata).flat()].join(' ').toLowerCase();
  return q.split(/\s+/).every((word) => haystack.includes(word));
}

export function Videos() {
  const { client } = useConnection();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('');
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const page = useResource(
    async () => unwrap(await client.api.GET('/v1/videos', { params: { query: { limit: 48, status: status || undefined, starting_after: cursor } } })),
    [status, cursor],
  );
  return (
    <>
      <h1 tabIndex={-1}>Videos</h1>
      <form class="filters" aria-label="Filter videos" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label for="status-filter">Status</label>
          <select
            id="status-filter"
            value={status}
            onChange={(e) => {
              setCursor(undefined);
              setStatus(e.currentTarget.value as (typeof STATUSES)[number]);
            }}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="search">Search prompt, id or metadata</label>
          <input id="search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} placeholder="sku=MUG-1043" />
        </div>
      </form>
      <Loaded resource={page}>
        {(list) => {
          const shown = (list.data as Video[]).filter((v) => matches(v, query.replace(/=/g, ' ')));
          return (
            <>
              {shown.length === 0 ? <p class="empty">No videos here yet. Make one in the playground.</p> : null}
              <ul class="grid" aria-label="Videos">
                {shown.map((v) => (
                  <li key={v.id} class="tile">
                    <Link to={`/videos/${v.id}`}>
                      {v.output?.thumbnail_url ? <img src={v.output.thumbnail_url} alt="" loading="lazy" /> : <div class="no-thumb" aria-hidden="true" />}
                      <span class="tile-prompt">{v.prompt}</span>
                    </Link>
                    <span class="tile-meta">
                      <StatusBadge status={v.status} />
                      <QueueInfo video={v} /> <span class="muted">{when(v.created_at)}</span>
                    </span>
                  </li>
                ))}
              </ul>
              <div class="pager">
                {cursor ? (
                  <button type="button" class="secondary" onClick={() => setCursor(undefined)}>
                    Newest
                  </button>
                ) : null}
                {list.has_more ? (
                  <button type="button" class="secondary" onClick={() => setCursor(list.data.at(-1)?.id)}>
                    Older
                  </button>
                ) : null}
              </div>
            </>
          );
        }}
      </Loaded>
    </>
  );
}
