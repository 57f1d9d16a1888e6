import { Injectable } from '@nestjs/common';
import { BackendsRedis } from './redis-client.js';
import { backendsEnv } from './backends.env.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

// Why not opossum: its state lives in one process, so with N workers a dead backend would take
// N × threshold failed jobs to trip, and each worker would probe it separately. This breaker
// keeps its state in Redis: consecutive failures trip it for every worker at once, and after
// BREAKER_OPEN_MS exactly one worker wins the probe (SET NX); its outcome closes or reopens it.
const FAILURE = `
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if failures >= tonumber(ARGV[1]) or redis.call('HEXISTS', KEYS[1], 'open_until') == 1 then
  redis.call('HSET', KEYS[1], 'open_until', tonumber(ARGV[2]) + tonumber(ARGV[3]))
  redis.call('DEL', KEYS[2])
end
return failures`;

@Injectable()
export class CircuitBreaker {
  constructor(private readonly redis: BackendsRedis) {}

  async state(backendId: string): Promise<CircuitState> {
    const openUntil = await this.redis.client.hget(this.key(backendId), 'open_until');
    if (openUntil === null) return 'closed';
    return Date.now() < Number(openUntil) ? 'open' : 'half_open';
  }

  /** Whether this caller may send to the backend now; in half-open state only the one probe may. */
  async admit(backendId: string): Promise<boolean> {
    const state = await this.state(backendId);
    if (state === 'closed') return true;
    if (state === 'open') return false;
    const won = await this.redis.client.set(this.probeKey(backendId), '1', 'PX', backendsEnv.get().BREAKER_OPEN_MS, 'NX');
    return won === 'OK';
  }

  async success(backendId: string): Promise<void> {
    await this.redis.client.del(this.key(backendId), this.probeKey(backendId));
  }

  async failure(backendId: string): Promise<void> {
    const env = backendsEnv.get();
    await this.redis.client.eval(FAILURE, 2, this.key(backendId), this.probeKey(backendId), env.BREAKER_FAILURE_THRESHOLD, Date.now(), env.BREAKER_OPEN_MS);
  }

  private key = (id: string) => this.redis.key('breaker', id);
  private probeKey = (id: string) => this.redis.key('breaker-probe', id);
}
