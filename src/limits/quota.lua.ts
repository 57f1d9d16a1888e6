/**
 * Quota state per tenant and mode in Redis (single primary: scripts build a few key names themselves).
 * `<owner>` is the tenant id for live mode and `<tenant>:test` for test mode (QuotaService's quotaOwnerId):
 * - `leases:<owner>`  ZSET video → lease deadline (ms), +inf once the video row exists; its size is the number of videos in flight
 * - `lease-info`       HASH video → "owner|key|period|seconds|live|cost" (live 1/0 and the projected cost in minor units; older leases end at seconds)
 * - `used:<owner>:<period>` HASH settled / reserved seconds, also per key as k:<key>:settled|reserved;
 *   for spend caps the live part: live_settled / live_reserved seconds and spent / spend_reserved minor units
 * `settled`, `live_settled` and `spent` are seeded from the database (the usage records are the truth) when missing;
 *   `unseeded` counts settles that found a counter missing (see SEED_LUA).
 */

/** Parses lease-info; live and cost are empty for leases written before spend caps. */
const LEASE = `
local LEASE_INFO = '^([^|]*)|([^|]*)|([^|]*)|(%d+)|?(%d*)|?(%d*)$'
local function unreserve_spend(used, live, secs, cost)
  if live == '1' then
    -- 0 - x, not -x: Lua's -0 reaches Redis as "-0", which HINCRBY refuses.
    redis.call('HINCRBY', used, 'live_reserved', 0 - tonumber(secs))
    redis.call('HINCRBY', used, 'spend_reserved', 0 - tonumber(cost))
  end
end
`;

/** Frees the slots and seconds of leases whose holder died without settling or releasing. */
const PRUNE = `${LEASE}
local function prune(leases, info_key, used_prefix, now)
  for _, vid in ipairs(redis.call('ZRANGEBYSCORE', leases, '-inf', now)) do
    local info = redis.call('HGET', info_key, vid)
    if info then
      local tenant, key, period, secs, live, cost = string.match(info, LEASE_INFO)
      local used = used_prefix .. tenant .. ':' .. period
      redis.call('HINCRBY', used, 'reserved', -tonumber(secs))
      redis.call('HINCRBY', used, 'k:' .. key .. ':reserved', -tonumber(secs))
      unreserve_spend(used, live, secs, cost)
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
 * max concurrent, tenant quota (-1 = none), key quota (-1 = none), used prefix, tenant,
 * live (1/0), seconds cap (-1 = none), amount cap in minor units (-1 = none), overage price per
 * second of this video, included seconds. Checks every limit before taking anything:
 * {1,'ok'} | {0,'seed'} | {0, code, current, limit}. A live video's projected cost assumes the
 * videos in flight use the included seconds first; caps apply to live videos only. Concurrency is
 * checked last: `concurrency_limited` means every other limit passed, so the caller may queue the video.
 */
export const RESERVE_LUA = `${PRUNE}
prune(KEYS[1], KEYS[2], ARGV[9], now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return {1, 'ok'} end
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
local live = ARGV[11] == '1'
local cost = 0
if live then
  local capS, capM, rate, included = tonumber(ARGV[12]), tonumber(ARGV[13]), tonumber(ARGV[14]), tonumber(ARGV[15])
  local s = redis.call('HMGET', KEYS[3], 'live_settled', 'live_reserved', 'spent', 'spend_reserved')
  if (capS >= 0 or capM >= 0) and (not s[1] or not s[3]) then return {0, 'seed'} end
  local u = tonumber(s[1] or '0') + tonumber(s[2] or '0')
  cost = rate * (math.max(0, u + secs - included) - math.max(0, u - included))
  if capS >= 0 and u + secs > capS then return {0, 'spend_cap_reached', u, capS} end
  local spent = tonumber(s[3] or '0') + tonumber(s[4] or '0')
  if capM >= 0 and spent + cost > capM then return {0, 'spend_cap_reached', spent, capM} end
end
local active = redis.call('ZCARD', KEYS[1])
if active >= tonumber(ARGV[6]) then return {0, 'concurrency_limited', active, tonumber(ARGV[6])} end
if live then
  redis.call('HINCRBY', KEYS[3], 'live_reserved', secs)
  redis.call('HINCRBY', KEYS[3], 'spend_reserved', cost)
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[5]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[10] .. '|' .. ARGV[2] .. '|' .. ARGV[3] .. '|' .. ARGV[4] .. '|' .. (live and '1' or '0') .. '|' .. cost)
redis.call('HINCRBY', KEYS[3], 'reserved', secs)
redis.call('HINCRBY', KEYS[3], kf .. ':reserved', secs)
redis.call('PEXPIRE', KEYS[3], 40 * 86400000)
return {1, 'ok'}
`;

/**
 * Ends a lease. KEYS: lease-info, used (this period). ARGV: video, leases prefix, used prefix,
 * settle (1/0), key lineage (the lease's own wins), seconds, live (1/0), cost in minor units.
 * Settled seconds and spend count in the period the usage record is written; they are added
 * only where seeded, else the next seed reads them from the database.
 */
export const FINISH_LUA = `${LEASE}
local budget_key = ARGV[5]
local info = redis.call('HGET', KEYS[1], ARGV[1])
if info then
  local tenant, key, period, secs, live, cost = string.match(info, LEASE_INFO)
  budget_key = key
  local used = ARGV[3] .. tenant .. ':' .. period
  redis.call('HINCRBY', used, 'reserved', -tonumber(secs))
  redis.call('HINCRBY', used, 'k:' .. key .. ':reserved', -tonumber(secs))
  unreserve_spend(used, live, secs, cost)
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZREM', ARGV[2] .. tenant, ARGV[1])
end
if ARGV[4] == '1' then
  local secs = tonumber(ARGV[6])
  local missed = false
  local function add(field, n)
    if redis.call('HEXISTS', KEYS[2], field) == 1 then redis.call('HINCRBY', KEYS[2], field, n) else missed = true end
  end
  add('settled', secs)
  add('k:' .. budget_key .. ':settled', secs)
  if ARGV[7] == '1' then
    add('live_settled', secs)
    add('spent', tonumber(ARGV[8]))
  end
  if missed then
    redis.call('HINCRBY', KEYS[2], 'unseeded', 1)
    redis.call('PEXPIRE', KEYS[2], 40 * 86400000)
  end
end
return info and 1 or 0
`;

/**
 * Writes the counters read from the usage records, where still missing. KEYS: used (this period),
 * lease-info. ARGV: the \`unseeded\` count read before the records were, key lineage, tenant
 * seconds, the lineage's seconds, live seconds, live spend, then per video both counted in the
 * records and leased when they were read: id, seconds, amount, live (1/0).
 * Settles and the records are not one transaction (the record commits, then FINISH runs), so:
 * - a settle whose FINISH ran since the count was read (it found a counter missing and moved
 *   \`unseeded\`) may be missing from the records read: 0, read again;
 * - a video the records count whose lease is still here has not run FINISH yet, which will add
 *   it once the counters exist: taken out here so it counts once.
 * Returns 1 when written (or already there).
 */
export const SEED_LUA = `${LEASE}
if (redis.call('HGET', KEYS[1], 'unseeded') or '0') ~= ARGV[1] then return 0 end
local kf = 'k:' .. ARGV[2] .. ':settled'
local tenant, key, live, spent = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
for i = 7, #ARGV, 4 do
  local info = redis.call('HGET', KEYS[2], ARGV[i])
  if info then
    local _, lineage = string.match(info, LEASE_INFO)
    local secs = tonumber(ARGV[i + 1])
    tenant = tenant - secs
    if lineage == ARGV[2] then key = key - secs end
    if ARGV[i + 3] == '1' then
      live = live - secs
      spent = spent - tonumber(ARGV[i + 2])
    end
  end
end
redis.call('HSETNX', KEYS[1], 'settled', tenant)
redis.call('HSETNX', KEYS[1], kf, key)
redis.call('HSETNX', KEYS[1], 'live_settled', live)
redis.call('HSETNX', KEYS[1], 'spent', spent)
redis.call('PEXPIRE', KEYS[1], 40 * 86400000)
return 1
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
