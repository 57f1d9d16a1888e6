import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { keysEnv } from './keys.env.js';

/**
 * last_used_at without a write per request: uses are buffered in memory and written in one
 * UPDATE per interval. Minute-level precision is what the field is for ("is this key in use?").
 */
@Injectable()
export class LastUsedService implements OnModuleInit, OnModuleDestroy {
  private pending = new Map<string, Date>();
  private timer?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), keysEnv.get().API_KEY_LAST_USED_FLUSH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => undefined);
  }

  touch(keyId: string): void {
    this.pending.set(keyId, new Date());
  }

  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    await this.db.query(
      `update api_keys k set last_used_at = u.t from unnest($1::text[], $2::timestamptz[]) as u(id, t)
        where k.id = u.id and (k.last_used_at is null or k.last_used_at < u.t)`,
      [[...batch.keys()], [...batch.values()]],
    );
  }
}
