import { useEffect, useRef, useState } from 'preact/hooks';
import type { components, Video } from '../../../sdk/js/src/index.js';
import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { TERMINAL_STATUSES } from '../../../sdk/js/src/wait-for-video.js';
import { type Connection, useConnection } from '../api/connection.js';
import { readEventStream } from '../api/event-stream.js';
import { money, seconds } from '../api/format.js';
import { useAction } from '../api/use-resource.js';
import { ErrorBox, Loading, StatusBadge } from '../ui/status.js';
import { QueueInfo, VideoFacts, VideoPlayer } from './video-facts.js';

type Estimate = components['schemas']['EstimateObject'];
type Settings = { prompt: string; duration_seconds: number; resolution: '480p' | '720p'; aspect_ratio: '16:9' | '9:16' | '1:1'; seed?: number; n: number };
/** One submission: a single video, or the `n` variants of one request (they share a `group_id`). */
type Take = { id: string; videos: Video[] };

/** Follows a video's event stream until it ends, then reads the finished video. */
function useFollowedVideo(connection: Connection, initial: Video) {
  const [video, setVideo] = useState(initial);
  const [events, setEvents] = useState<string[]>([initial.status]);
  useEffect(() => {
    const abort = new AbortController();
    (async () => {
      for (let attempt = 0; attempt < 20 && !abort.signal.aborted; attempt++) {
        const res = await connection.fetch(`/v1/videos/${encodeURIComponent(initial.id)}/events`, {
          headers: { accept: 'text/event-stream' },
          signal: abort.signal,
        });
        if (res.ok) {
          await readEventStream(
            res,
            ({ event }) => {
              if (!event.startsWith('video.')) return;
              const status = event.slice('video.'.length);
              setEvents((e) => (e.at(-1) === status ? e : [...e, status]));
            },
            abort.signal,
          );
        }
        const now = await connection.client.videos.get(initial.id);
        setVideo(now);
        if (TERMINAL_STATUSES.has(now.status)) return;
        if (!res.ok) await new Promise((r) => setTimeout(r, 1000));
      }
    })().catch(() => undefined);
    return () => abort.abort();
  }, [connection, initial.id]);
  return { video, events };
}

function Result({ initial }: { initial: Video }) {
  const connection = useConnection();
  const { video, events } = useFollowedVideo(connection, initial);
  const done = TERMINAL_STATUSES.has(video.status);
  return (
    <article class="card result" aria-label={`Video ${video.id}`} data-video-id={video.id}>
      <h3>
        <code>{video.id}</code> <StatusBadge status={video.status} />
        <QueueInfo video={video} />
      </h3>
      <ol class="timeline" aria-label="Progress">
        {events.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ol>
      {done ? null : <Loading label="Rendering… progress arrives live from the event stream" />}
      <VideoPlayer video={video} />
      <VideoFacts video={video} />
    </article>
  );
}

export function Playground() {
  const connection = useConnection();
  const [image, setImage] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [settings, setSettings] = useState<Settings>({ prompt: '', duration_seconds: 5, resolution: '480p', aspect_ratio: '16:9', n: 1 });
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [results, setResults] = useState<Take[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);

  const estimating = useAction(async (s: Settings) => setEstimate(await unwrapEstimate(connection, s)));
  const submitting = useAction(async (s: Settings) => {
    if (!image) throw new Error('Choose an image first.');
    const { n, ...request } = s;
    const take: Take =
      n > 1
        ? await connection.client.videos.createVariants({ ...request, image, n }).then((g) => ({ id: g.id, videos: g.data }))
        : await connection.client.videos.create({ ...request, image }).then((v) => ({ id: v.id, videos: [v] }));
    setResults((r) => [take, ...r]);
  });

  useEffect(() => {
    if (!image) return;
    const url = URL.createObjectURL(image);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [image]);

  useEffect(() => {
    if (settings.prompt.trim() === '') return;
    const timer = setTimeout(() => void estimating.run(settings), 400);
    return () => clearTimeout(timer);
    // biome-ignore lint/correctness/useExhaustiveDependencies: estimate again only when what is priced changes
  }, [settings.duration_seconds, settings.resolution, settings.aspect_ratio, settings.n, settings.prompt.trim() === '']);

  const set = (patch: Partial<Settings>) => setSettings((s) => ({ ...s, ...patch }));
  const pick = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) setImage(file);
  };

  return (
    <>
      <h1 tabIndex={-1}>Playground</h1>
      <p class="lede">Drop an image, describe the motion, see the price, and watch it render.</p>
      <form
        class="playground"
        onSubmit={(e) => {
          e.preventDefault();
          void submitting.run(settings);
        }}
      >
        <fieldset
          class={`drop ${dragging ? 'dragging' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            pick(e.dataTransfer?.files);
          }}
        >
          <legend>Input image</legend>
          {preview ? <img src={preview} alt="The chosen input" /> : null}
          <label for="image">{image ? `Image: ${image.name}` : 'Drop an image here, or choose one'}</label>
          <input id="image" ref={fileInput} type="file" accept="image/png,image/jpeg,image/webp" onChange={(e) => pick(e.currentTarget.files)} />
        </fieldset>
        <div class="fields">
          <label for="prompt">Prompt</label>
          <textarea id="prompt" rows={3} required maxLength={2000} value={settings.prompt} onInput={(e) => set({ prompt: e.currentTarget.value })} />
          <div class="row">
            <div>
              <label for="duration">Seconds</label>
              <input
                id="duration"
                type="number"
                min={1}
                max={30}
                value={settings.duration_seconds}
                onInput={(e) => set({ duration_seconds: Number(e.currentTarget.value) })}
              />
            </div>
            <div>
              <label for="resolution">Resolution</label>
              <select id="resolution" value={settings.resolution} onChange={(e) => set({ resolution: e.currentTarget.value as Settings['resolution'] })}>
                <option>480p</option>
                <option>720p</option>
              </select>
            </div>
            <div>
              <label for="aspect">Aspect ratio</label>
              <select id="aspect" value={settings.aspect_ratio} onChange={(e) => set({ aspect_ratio: e.currentTarget.value as Settings['aspect_ratio'] })}>
                <option>16:9</option>
                <option>9:16</option>
                <option>1:1</option>
              </select>
            </div>
            <div>
              <label for="variants">Variants</label>
              <select id="variants" value={settings.n} onChange={(e) => set({ n: Number(e.currentTarget.value) })}>
                {[1, 2, 3, 4].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <section aria-live="polite" class="estimate" aria-label="Estimate">
            {estimating.pending ? <Loading label="Estimating…" /> : null}
            <ErrorBox error={estimating.error} />
            {estimate && !estimating.pending ? (
              <p>
                Estimate: <strong data-testid="estimate">{money(estimate.cost.amount, estimate.cost.currency)}</strong> for{' '}
                {estimate.n > 1 ? `${estimate.n} variants of ` : ''}
                {seconds(estimate.duration_seconds)} at {estimate.resolution} — {seconds(estimate.cost.included_seconds_used)} from your included seconds (
                {seconds(estimate.included_seconds.remaining_after)} left after).
                {estimate.refused ? (
                  <span class="error-inline">
                    {' '}
                    It would be refused now: {estimate.refused.message} (<code>{estimate.refused.code}</code>)
                  </span>
                ) : null}
              </p>
            ) : null}
          </section>
          <div class="actions">
            <button type="submit" disabled={submitting.pending}>
              {submitting.pending ? 'Submitting…' : 'Generate video'}
            </button>
            <button
              type="button"
              class="secondary"
              disabled={submitting.pending || results.length === 0}
              onClick={() => void submitting.run({ ...settings, n: 1, seed: Math.floor(Math.random() * 2 ** 31) })}
            >
              Another variant (new seed)
            </button>
          </div>
          <ErrorBox error={submitting.error} />
        </div>
      </form>
      {results.length > 0 ? (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">Results</h2>
          {results.map((take) => (
            // The variants of one request side by side, each in its own player with its seed and cost.
            <section
              key={take.id}
              class="variants"
              aria-label={take.videos.length > 1 ? `${take.videos.length} variants of one request (${take.id})` : `Video ${take.id}`}
              data-group-id={take.videos.length > 1 ? take.id : undefined}
            >
              {take.videos.map((v) => (
                <Result key={v.id} initial={v} />
              ))}
            </section>
          ))}
        </section>
      ) : null}
    </>
  );
}

async function unwrapEstimate(connection: Connection, s: Settings): Promise<Estimate> {
  return unwrap(await connection.client.api.POST('/v1/videos/estimate', { body: { ...s, prompt: s.prompt.trim() || 'estimate' } })) as Estimate;
}
