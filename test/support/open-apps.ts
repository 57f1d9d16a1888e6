/**
 * The apps test/support/test-app.ts started and nobody has closed yet. A file whose hook timed out
 * or threw never reaches its own `close()`; its API, workers and loops would keep running in the
 * worker process (files share it, see vitest.config.ts) against a database already dropped. The
 * per-file teardown (file-environment.ts) closes what is left here.
 */
const open = new Set<{ close(): Promise<void> }>();

export function trackOpenApp(app: { close(): Promise<void> }): () => void {
  open.add(app);
  return () => open.delete(app);
}

/** Closes every app still open, each with a bound so one stuck close cannot hold the run. */
export async function closeOpenApps(boundMs = 30_000): Promise<void> {
  const left = [...open];
  open.clear();
  await Promise.all(left.map((app) => Promise.race([app.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, boundMs).unref())])));
}
