const MAX_ENTRIES = 10_000;

/**
 * A cache of something else a tenant's requests need, held beside the key cache and dropped with
 * it (KeyCache.companion): the same invalidation messages (published after every change to a
 * tenant, its keys or its billing standing), the same TTL bound should one be lost, the same
 * guard against a read that began before a drop.
 */
export class OwnerCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  /** Moves on every drop: a value read under an older generation may predate the change and is not kept. */
  private dropped = 0;

  constructor(private readonly ttlMs: () => number) {}

  async get(owner: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(owner);
    if (hit && hit.until > Date.now()) return hit.value;
    const readAt = this.dropped;
    const value = await load();
    const ttl = this.ttlMs();
    if (ttl > 0 && readAt === this.dropped) {
      this.entries.delete(owner);
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(owner, { value, until: Date.now() + ttl });
    }
    return value;
  }

  /** One owner's entry, or every entry (null: after a reconnect, messages may have been missed). */
  drop(owner: string | null): void {
    this.dropped++;
    if (owner === null) this.entries.clear();
    else this.entries.delete(owner);
  }
}
