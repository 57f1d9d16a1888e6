import pino, { type DestinationStream } from 'pino';

let override: DestinationStream | undefined;

/** Lines are written out in batches of this many bytes, or after FLUSH_MS, whichever comes first. */
const BATCH_BYTES = 4096;
const FLUSH_MS = 250;

/**
 * Where log lines go: stdout, written asynchronously (pino flushes on exit) so a request never
 * waits on the terminal or the collector. Batched: one write per access line was a system call
 * per request (issue 36's profiles: 3–4 % of a poll's CPU); a line waits at most FLUSH_MS.
 * Tests that read the logs set their own stream before the first app is created (the root
 * logger is built once per process).
 */
export function logDestination(): DestinationStream {
  if (override) return override;
  const stdout = pino.destination({ dest: 1, sync: false, minLength: BATCH_BYTES });
  // A destroyed stream (stdout closed under us) throws on flush: there is nothing left to flush to.
  setInterval(() => (stdout as unknown as { destroyed: boolean }).destroyed || stdout.flush(), FLUSH_MS).unref();
  return stdout;
}

export function setLogDestination(stream: DestinationStream | undefined): void {
  override = stream;
}
