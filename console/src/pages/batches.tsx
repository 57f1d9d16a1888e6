import { useEffect, useState } from 'preact/hooks';
import type { components } from '../../../sdk/js/src/index.js';
import { LeomaProblemError, unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { itemsWithLocalImages } from '../api/batch-items.js';
import { download } from '../api/download.js';
import { when } from '../api/format.js';
import { useAction, useResource } from '../api/use-resource.js';
import { ErrorBox, Loaded, StatusBadge } from '../ui/status.js';

type Batch = components['schemas']['BatchObject'];
type RejectedRow = components['schemas']['RejectedRowObject'];
const LIVE = new Set(['validating', 'in_progress']);

/** The rows a refused upload named, before anything ran or was charged. */
function RejectedRows({ rows, total }: { rows: RejectedRow[]; total: number }) {
  return (
    <div class="table-wrap">
      <table aria-label="Invalid rows">
        <caption>
          {total} invalid row{total === 1 ? '' : 's'} — nothing was accepted or charged
        </caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">custom_id</th>
            <th scope="col">Problems</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.row} data-row={r.row}>
              <td>{r.row}</td>
              <td>{r.custom_id ?? '—'}</td>
              <td>
                {r.errors.map((e) => (
                  <div key={`${e.param}-${e.code}`}>
                    <code>{e.param}</code>: {e.message} (<code>{e.code}</code>)
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Progress({ batch }: { batch: Batch }) {
  const c = batch.request_counts as { total: number; succeeded?: number; failed?: number; completed?: number; canceled?: number };
  const done = (c.succeeded ?? 0) + (c.failed ?? 0) + (c.canceled ?? 0);
  return (
    <span>
      <progress max={c.total} value={done} aria-label={`Batch ${batch.id} progress`} /> {done}/{c.total}
      {c.failed ? <span class="muted"> ({c.failed} failed)</span> : null}
    </span>
  );
}

export function Batches() {
  const connection = useConnection();
  const { client } = connection;
  const [file, setFile] = useState<File | null>(null);
  const [images, setImages] = useState<File[]>([]);
  // Bumped after an accepted upload: the file inputs are drawn anew, empty, like the state.
  const [uploads, setUploads] = useState(0);
  const [refused, setRefused] = useState<{ rows: RejectedRow[]; total: number } | null>(null);
  const list = useResource(async () => unwrap(await client.api.GET('/v1/batches', { params: { query: { limit: 20 } } })), []);
  const running = (list.data?.data as Batch[] | undefined)?.some((b) => LIVE.has(b.status));
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(list.reload, 2000);
    return () => clearInterval(timer);
  }, [running, list.reload]);

  const upload = useAction(async (onInvalid: 'reject' | 'skip') => {
    if (!file) throw new Error('Choose a CSV or JSONL file first.');
    setRefused(null);
    try {
      if (images.length > 0) {
        const items = await itemsWithLocalImages(connection, file, images);
        unwrap(await client.api.POST('/v1/batches', { body: { items: items as never, on_invalid: onInvalid } }));
      } else {
        const form = new FormData();
        form.set('file', file, file.name);
        form.set('on_invalid', onInvalid);
        unwrap(await client.api.POST('/v1/batches', { body: form as never, bodySerializer: (b) => b as unknown as FormData }));
      }
    } catch (e) {
      const p = e instanceof LeomaProblemError ? (e.problem as { rows?: RejectedRow[]; rejected_count?: number }) : undefined;
      if (p?.rows) setRefused({ rows: p.rows, total: p.rejected_count ?? p.rows.length });
      throw e;
    }
    setFile(null);
    setImages([]);
    setUploads((n) => n + 1);
    list.reload();
  });
  const manifest = useAction((b: Batch) => download(connection, `/v1/batches/${b.id}/results?format=csv`, `${b.id}.csv`));

  return (
    <>
      <h1 tabIndex={-1}>Batches</h1>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void upload.run('reject');
        }}
      >
        <h2>Upload a batch</h2>
        <p class="muted">
          CSV columns <code>custom_id,image,prompt,duration_seconds,resolution,aspect_ratio,seed,camera</code>, or JSONL with the same fields. Every row is
          checked first: if any is invalid, nothing runs and nothing is charged.
        </p>
        <label for="batch-file">CSV or JSONL file</label>
        <input
          key={`file-${uploads}`}
          id="batch-file"
          type="file"
          accept=".csv,.jsonl,text/csv,application/jsonl"
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
        <label for="batch-images">Local images the file names in its image column (optional)</label>
        <input
          key={`images-${uploads}`}
          id="batch-images"
          type="file"
          multiple
          accept="image/png,image/jpeg,image/webp"
          onChange={(e) => setImages([...(e.currentTarget.files ?? [])])}
        />
        {images.length > 0 ? <p class="muted">{images.length} image(s): each is uploaded once and its rows refer to it.</p> : null}
        <div class="actions">
          <button type="submit" disabled={upload.pending || !file}>
            {upload.pending ? 'Validating…' : 'Validate and run'}
          </button>
          {refused ? (
            <button type="button" class="secondary" disabled={upload.pending} onClick={() => void upload.run('skip')}>
              Run only the valid rows
            </button>
          ) : null}
        </div>
        <ErrorBox error={upload.error} />
        {refused ? <RejectedRows rows={refused.rows} total={refused.total} /> : null}
      </form>
      <h2>Recent batches</h2>
      <Loaded resource={list}>
        {(page) =>
          page.data.length === 0 ? (
            <p class="empty">No batches yet.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Batch</th>
                    <th scope="col">Status</th>
                    <th scope="col">Progress</th>
                    <th scope="col">Created</th>
                    <th scope="col">Manifest</th>
                  </tr>
                </thead>
                <tbody>
                  {(page.data as Batch[]).map((b) => (
                    <tr key={b.id} data-batch-id={b.id}>
                      <td>
                        <code>{b.id}</code>
                        {b.input?.filename ? <div class="muted">{b.input.filename}</div> : null}
                        {b.rejected_count ? <div class="muted">{b.rejected_count} rows skipped as invalid</div> : null}
                      </td>
                      <td>
                        <StatusBadge status={b.status} />
                      </td>
                      <td>
                        <Progress batch={b} />
                      </td>
                      <td>{when(b.created_at)}</td>
                      <td>
                        <button type="button" class="secondary" onClick={() => void manifest.run(b)}>
                          Download CSV
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      <ErrorBox error={manifest.error} />
    </>
  );
}
