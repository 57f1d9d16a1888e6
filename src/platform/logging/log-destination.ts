import pino, { type DestinationStream } from 'pino';

let override: DestinationStream | undefined;

/**
 * Where log lines go: stdout, written asynchronously (pino flushes on exit) so a request never
 * waits on the terminal or the collector. Tests that read the logs set their own stream before
 * the first app is created (the root logger is built once per process).
 */
export function logDestination(): DestinationStream {
  return override ?? pino.destination({ dest: 1, sync: false, minLength: 0 });
}

export function setLogDestination(stream: DestinationStream | undefined): void {
  override = stream;
}
