/**
 * GCRA over several buckets at once. Every bucket is checked first and the request is counted in
 * all of them only when all allow it, so a rejection by one limit never spends another.
 * KEYS: one theoretical-arrival-time key per bucket. ARGV: per bucket, emission interval (ms) and
 * burst size. Returns {allowed, retry_after_ms, remaining_1, reset_ms_1, remaining_2, ...}.
 */
export const GCRA_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local allowed = 1
local retry = 0
local old, new = {}, {}
for i = 1, #KEYS do
  local interval = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  old[i] = tat
  new[i] = tat + interval
  local allow_at = new[i] - burst * interval
  if allow_at > now then
    allowed = 0
    if allow_at - now > retry then retry = allow_at - now end
  end
end
local out = {allowed, retry}
for i = 1, #KEYS do
  local interval = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local tat = old[i]
  if allowed == 1 then
    tat = new[i]
    redis.call('SET', KEYS[i], tat, 'PX', math.ceil(tat - now) + 1000)
  end
  local remaining = math.floor((now - (tat - burst * interval)) / interval)
  if remaining < 0 then remaining = 0 end
  out[#out + 1] = remaining
  out[#out + 1] = tat - now
end
return out
`;
