import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource, EntityManager } from 'typeorm';
import { databaseEnv } from './database.env.js';

/** Raised by a fenced write when the lease it was made under has expired or been taken over. */
export class LeaseLost extends Error {}

/**
 * A held singleton lease. Every statement is a single autocommitted query (or runs inside the
 * caller's transaction), so nothing depends on keeping one server session: it holds behind
 * PgBouncer in transaction mode. It renews itself every third of its time to live; when a renewal
 * finds the row taken over, `lost` turns true and `signal` aborts, and the holder must stop.
 */
export interface HeldLease {
  readonly name: string;
  readonly owner: string;
  readonly fence: string;
  readonly signal: AbortSignal;
  get lost(): boolean;
  /**
   * Inside a write transaction: refuses (LeaseLost) unless this holder still has the lease, and
   * keeps a takeover waiting until that transaction ends, so a write it fences never lands after
   * another holder took over.
   */
  fenced(manager: EntityManager): Promise<void>;
  /** Ends the lease at once (the next acquire need not wait for it to expire). Safe to call twice. */
  release(): Promise<void>;
}

/** Takes the lease `name` for `ttlMs` (renewed while held), or returns null while another holder has it. */
export async function acquireLease(db: DataSource, name: string, ttlMs = databaseEnv.get().DATABASE_LEASE_TTL_MS): Promise<HeldLease | null> {
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const rows = (await db.query(
    `insert into leases (name, owner, fence, expires_at) values ($1, $2, 1, now() + make_interval(secs => $3::float8 / 1000))
     on conflict (name) do update set owner = excluded.owner, fence = leases.fence + 1, expires_at = excluded.expires_at
       where leases.expires_at <= now()
     returning fence::text as fence`,
    [name, owner, ttlMs],
  )) as { fence: string }[];
  if (!rows.length) return null;
  const fence = rows[0]!.fence;
  const abort = new AbortController();
  let released = false;
  const renew = async () => {
    const renewed = (await db
      .query(
        `update leases set expires_at = now() + make_interval(secs => $4::float8 / 1000)
         where name = $1 and owner = $2 and fence = $3 and expires_at > now() returning 1`,
        [name, owner, fence, ttlMs],
      )
      // A database that does not answer renews nothing: the lease runs out unless a later renewal reaches it in time.
      .catch(() => null)) as unknown[] | null;
    if (renewed && !renewed.length && !released) abort.abort(new LeaseLost(`lease ${name} was lost`));
  };
  const timer = setInterval(() => void renew(), Math.max(1, Math.floor(ttlMs / 3)));
  timer.unref();
  abort.signal.addEventListener('abort', () => clearInterval(timer));
  return {
    name,
    owner,
    fence,
    signal: abort.signal,
    get lost() {
      return abort.signal.aborted;
    },
    async fenced(manager) {
      const held = (await manager.query(`select 1 from leases where name = $1 and owner = $2 and fence = $3 and expires_at > now() for share`, [
        name,
        owner,
        fence,
      ])) as unknown[];
      if (!held.length) {
        abort.abort(new LeaseLost(`lease ${name} was lost`));
        throw new LeaseLost(`lease ${name} (fence ${fence}) is no longer held`);
      }
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await db.query(`update leases set expires_at = now() where name = $1 and owner = $2 and fence = $3`, [name, owner, fence]).catch(() => undefined);
    },
  };
}
