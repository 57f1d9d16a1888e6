import { unwrap } from '../../../sdk/js/src/problem-error.js';
import { useConnection } from '../api/connection.js';
import { useAction, useResource } from '../api/use-resource.js';
import { Link, navigate } from '../ui/router.js';
import { ErrorBox, Loaded } from '../ui/status.js';
import { VideoFacts, VideoPlayer } from './video-facts.js';

export function VideoDetail({ id }: { id: string }) {
  const { client } = useConnection();
  const video = useResource(() => client.videos.get(id), [id]);
  const cancel = useAction(async () => {
    await client.videos.cancel(id);
    video.reload();
  });
  const remove = useAction(async () => {
    unwrap(await client.api.DELETE('/v1/videos/{id}', { params: { path: { id } } }));
    navigate('/videos');
  });
  return (
    <>
      <p>
        <Link to="/videos">← All videos</Link>
      </p>
      <h1 tabIndex={-1}>
        Video <code>{id}</code>
      </h1>
      <Loaded resource={video}>
        {(v) => (
          <>
            <VideoPlayer video={v} />
            <VideoFacts video={v} />
            <div class="actions">
              {v.status === 'queued' || v.status === 'running' ? (
                <button type="button" class="secondary" disabled={cancel.pending} onClick={() => void cancel.run()}>
                  Cancel (nothing is charged)
                </button>
              ) : null}
              <button
                type="button"
                class="danger"
                disabled={remove.pending}
                onClick={() => {
                  if (confirm('Delete this video and its stored files? This cannot be undone.')) void remove.run();
                }}
              >
                {remove.pending ? 'Deleting…' : 'Delete video'}
              </button>
            </div>
            <ErrorBox error={remove.error ?? cancel.error} />
          </>
        )}
      </Loaded>
    </>
  );
}
