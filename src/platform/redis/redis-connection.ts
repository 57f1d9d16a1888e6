/** ioredis options from REDIS_URL; BullMQ and the command connection (redis.client.ts) both start here. */
export function connectionFromUrl(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers must block on Redis indefinitely; the API only enqueues, where failing fast is better.
    maxRetriesPerRequest: null,
  };
}
