/**
 * GCRA over several buckets at once, for a batch of requests that share those buckets (the
 * requests of one tenant and key that waited for the call in flight, rate-limiter.service.ts).
 * Each request of the batch is taken in order exactly as a call of its own would be: every bucket
 * is checked first and the request is counted in all of them only when all allow it, so a
 * rejection by one limit never spends another.
 * KEYS: one theoretical-arrival-time key per bucket. ARGV: the number of requests, then per
 * bucket the emission interval (ms) and burst size. Returns, per request in order,
 * {allowed, retry_after_ms, remaining_1, reset_ms_1, remaining_2, ...}.
 */
export const GCRA_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = tonumber(ARGV[1])
local tats = {}
for i = 1, #KEYS do tats[i] = tonumber(redis.call('GET', KEYS[i]) or '0') end
local out = {}
local counted = false
for j = 1, n do
  local allowed = 1
  local retry = 0
  local old, new = {}, {}
  for i = 1, #KEYS do
    local interval = tonumber(ARGV[2 * i])
    local burst = tonumber(ARGV[2 * i + 1])
    local tat = tats[i]
    if tat < now then tat = now end
    old[i] = tat
    new[i] = tat + interval
    local allow_at = new[i] - burst * interval
    if allow_at > now then
      allowed = 0
      if allow_at - now > retry then retry = allow_at - now end
    end
  end
  out[#out + 1] = allowed
  out[#out + 1] = retry
  if allowed == 1 then counted = true end
  for i = 1, #KEYS do
    local interval = tonumber(ARGV[2 * i])
    local burst = tonumber(ARGV[2 * i + 1])
    local tat = old[i]
    if allowed == 1 then tat = new[i] end
    tats[i] = tat
    local remaining = math.floor((now - (tat - burst * interval)) / interval)
    if remaining < 0 then remaining = 0 end
    out[#out + 1] = remaining
    out[#out + 1] = tat - now
  end
end
if counted then
  for i = 1, #KEYS do redis.call('SET', KEYS[i], tats[i], 'PX', math.ceil(tats[i] - now) + 1000) end
end
return out
`;
