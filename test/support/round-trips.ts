import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';

/**
 * Counts the round trips a request makes: every PostgreSQL statement sent through the given pool
 * (the api's: TypeORM's pool, whose clients are `pg` Clients; a worker in the same process has its own) and every Redis command carrying this app's key prefix
 * (seen with MONITOR on its own connection, so BullMQ's connections are counted too). Instrumentation
 * around the drivers, not a stand-in: every statement and command still runs.
 */
export async function roundTripCounter(redisUrl: string, namespace: string, pool: pg.Pool) {
  // Read at each statement: pg-pool replaces the array when it drops an idle client, so a copy taken
  // here would miss every client opened after a burst grew the pool.
  const clients = () => (pool as unknown as { _clients: pg.Client[] })._clients;
  const statements: string[] = [];
  const commands: string[] = [];
  const original = pg.Client.prototype.query;
  let counting = false;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    if (counting && clients().includes(this)) statements.push(typeof first === 'string' ? first : (first?.text ?? String(first)));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  const monitor = await new Redis(redisUrl).monitor();
  // MONITOR delivers lines in the server's order but late: a marker sent on its own connection and
  // seen on the stream means every command before it has been seen too, so a window opened after
  // one holds none of what came before (the previous request's last BullMQ call, under load).
  const marker = new Redis(redisUrl);
  const markers = new Map<string, () => void>();
  const sync = async (): Promise<void> => {
    const token = `${namespace}:round-trips:${randomUUID()}`;
    const seen = new Promise<void>((resolve) => markers.set(token, resolve));
    await marker.echo(token);
    await seen;
    markers.delete(token);
  };
  // Commands a Lua script runs arrive from source "lua": part of the script's one round trip.
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const sent = args[0]?.toLowerCase() === 'echo' ? markers.get(args[1] ?? '') : undefined;
    if (sent) return sent();
    if (counting && source !== 'lua' && args.some((a) => a.includes(namespace))) commands.push(args.join(' ').slice(0, 160));
  });
  return {
    async during<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[]; commands: string[] }> {
      await sync();
      statements.length = 0;
      commands.length = 0;
      counting = true;
      try {
        const result = await fn();
        // What the request itself started after its reply (none is expected) gets a moment, then
        // the marker closes the window on everything the server ran before it.
        await new Promise((r) => setTimeout(r, 200));
        await sync();
        return { result, statements: [...statements], commands: [...commands] };
      } finally {
        counting = false;
      }
    },
    async close(): Promise<void> {
      pg.Client.prototype.query = original;
      monitor.disconnect();
      marker.disconnect();
    },
  };
}
