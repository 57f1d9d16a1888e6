/**
 * Quota state per tenant in Redis (single primary: scripts build a few key names themselves):
 * - `leases:<tenant>`  ZSET video → lease deadline (ms), +inf once the video row exists; its size is the number of videos in flight
 * - `lease-info`       HASH video → "tenant|key|period|seconds"
 * - `used:<tenant>:<period>` HASH settled / reserved seconds, also per key as k:<key>:settled|reserved
 * `settled` is seeded from the database (the usage records are the truth) when missing.
 */

/** Frees the slots and seconds of leases whose holder died without settling or releasing. */
const PRUNE = `
local function prune(leases, info_key, used_prefix, now)
  for _, vid in ipairs(redis.call('ZRANGEBYSCORE', leases, '-inf', now)) do
    local info = redis.call('HGET', info_key, vid)
    if info then
      local tenant, key, period, secs = string.match(info, '^([^|]*)|([^|]*)|([^|]*)|(%d+)$')
      local used = used_prefix .. tenant .. ':' .. period
      redis.call('HINCRBY', used, 'reserved', -tonumber(secs))
      redis.call('HINCRBY', used, 'k:' .. key .. ':reserved', -tonumber(secs))
      redis.call('HDEL', info_key, vid)
    end
    redis.call('ZREM', leases, vid)
  end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS: leases, lease-info, used (this period). ARGV: video, key, period, seconds, lease ms,
 * max concurrent, tenant quota (-1 = none), key quota (-1 = none), used prefix, tenant.
 * Checks every limit before taking anything: {1,'ok'} | {0,'seed'} | {0, code, current, limit}.
 */
export const RESERVE_LUA = `${PRUNE}
prune(KEYS[1], KEYS[2], ARGV[9], now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return {1, 'ok'} end
local active = redis.call('ZCARD', KEYS[1])
if active >= tonumber(ARGV[6]) then return {0, 'concurrency_limited', active, tonumber(ARGV[6])} end
local secs, tq, kq = tonumber(ARGV[4]), tonumber(ARGV[7]), tonumber(ARGV[8])
local kf = 'k:' .. ARGV[2]
local v = redis.call('HMGET', KEYS[3], 'settled', 'reserved', kf .. ':settled', kf .. ':reserved')
if (tq >= 0 and not v[1]) or (kq >= 0 and not v[3]) then return {0, 'seed'} end
if tq >= 0 then
  local used = tonumber(v[1]) + tonumber(v[2] or '0')
  if used + secs > tq then return {0, 'quota_exceeded', used, tq} end
end
if kq >= 0 then
  local used = tonumber(v[3]) + tonumber(v[4] or '0')
  if used + secs > kq then return {0, 'key_quota_exceeded', used, kq} end
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[5]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[10] .. '|' .. ARGV[2] .. '|' .. ARGV[3] .. '|' .. ARGV[4])
redis.call('HINCRBY', KEYS[3], 'reserved', secs)
redis.call('HINCRBY', KEYS[3], kf .. ':reserved', secs)
redis.call('PEXPIRE', KEYS[3], 40 * 86400000)
return {1, 'ok'}
`;

/**
 * Ends a lease. KEYS: lease-info, used (this period). ARGV: video, leases prefix, used prefix,
 * settle (1/0), key lineage (the lease's own wins), seconds. Settled seconds count in the period the usage record is written;
 * they are added only where `settled` is seeded, else the next seed reads them from the database.
 */
export const FINISH_LUA = `
local budget_key = ARGV[5]
local info = redis.call('HGET', KEYS[1], ARGV[1])
if info then
  local tenant, key, period, secs = string.match(info, '^([^|]*)|([^|]*)|([^|]*)|(%d+)$')
  budget_key = key
  local used = ARGV[3] .. tenant .. ':' .. period
  redis.call('HINCRBY', used, 'reserved', -tonumber(secs))
  redis.call('HINCRBY', used, 'k:' .. key .. ':reserved', -tonumber(secs))
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZREM', ARGV[2] .. tenant, ARGV[1])
end
if ARGV[4] == '1' then
  local secs = tonumber(ARGV[6])
  if redis.call('HEXISTS', KEYS[2], 'settled') == 1 then redis.call('HINCRBY', KEYS[2], 'settled', secs) end
  local kf = 'k:' .. budget_key .. ':settled'
  if redis.call('HEXISTS', KEYS[2], kf) == 1 then redis.call('HINCRBY', KEYS[2], kf, secs) end
end
return info and 1 or 0
`;

/**
 * Pins a live lease (its video row is committed): no deadline, so it lasts until the video's
 * terminal transition settles or releases it, however long the video waits. KEYS: leases. ARGV: video.
 */
export const HOLD_LUA = `
return redis.call('ZADD', KEYS[1], 'XX', 'CH', '+inf', ARGV[1])
`;

/** Counts for GET /v1/usage. KEYS: leases, lease-info, used. ARGV: used prefix. */
export const READ_LUA = `${PRUNE}
prune(KEYS[1], KEYS[2], ARGV[1], now)
return {redis.call('ZCARD', KEYS[1]), tonumber(redis.call('HGET', KEYS[3], 'reserved') or '0')}
`;
