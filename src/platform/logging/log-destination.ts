import pino, { type DestinationStream } from 'pino';

let override: DestinationStream | undefined;
let stdout: ReturnType<typeof pino.destination> | undefined;

/** Lines are written out in batches of this many bytes, or after FLUSH_MS, whichever comes first. */
const BATCH_BYTES = 4096;
const FLUSH_MS = 250;

function standardOut(): ReturnType<typeof pino.destination> {
  if (!stdout) {
    const stream = pino.destination({ dest: 1, sync: false, minLength: BATCH_BYTES });
    // A destroyed stream (stdout closed under us) throws on flush: there is nothing left to flush to.
    setInterval(() => (stream as unknown as { destroyed: boolean }).destroyed || stream.flush(), FLUSH_MS).unref();
    stdout = stream;
  }
  return stdout;
}

/**
 * Where log lines go: stdout, written asynchronously (pino.destination flushes it on exit) so a
 * request never waits on the terminal or the collector. Batched: one write per access line was a
 * system call per request (issue 36's profiles: 3–4 % of a poll's CPU); a line waits at most FLUSH_MS.
 * The root logger is built once per process and keeps the stream it was given, so the stream
 * forwards each line to where lines go at that moment: a test that reads the logs sets its own
 * stream whenever it starts, also after an earlier app in the same process built the logger.
 */
export const logDestination = (): DestinationStream => forwarding;

const forwarding = {
  write(line: string) {
    (override ?? standardOut()).write(line);
  },
};

export function setLogDestination(stream: DestinationStream | undefined): void {
  override = stream;
}
