--[[
take-tokens: the token bucket of one rate-limit key (task name + tenant), shared by
every worker. Mirrors takeTokens() in @stem/core (rate-limit/token-bucket.ts) step by
step, in the same double-precision arithmetic, so a bucket decides the same way here
as in memory.

KEYS[1]  the bucket hash (<ns>:rate:<key>): tokens, updatedAt (numbers as %.17g text,
         which round-trips a double exactly)
ARGV[1]  limit: tokens added per period (> 0, checked by the caller)
ARGV[2]  periodMs (> 0)
ARGV[3]  capacity: the burst (>= tokens)
ARGV[4]  tokens to take (> 0)
ARGV[5]  now as epoch ms, or '' to read the server's TIME (always '' outside the
         script/TypeScript parity test)

Returns  { 1, 0 } when granted, { 0, retryAfterMs } when refused.
Guarantees: the refill, the check and the take are one atomic step, so concurrent
workers never over-grant. With the server's clock the bucket expires once it would be
full again, which is indistinguishable from a missing bucket (that starts full).
]]
local FLOAT_TOLERANCE = 1e-9
local limit = tonumber(ARGV[1])
local periodMs = tonumber(ARGV[2])
local capacity = tonumber(ARGV[3])
local tokens = tonumber(ARGV[4])
local serverClock = ARGV[5] == ''
local nowAt
if serverClock then
  local time = redis.call('TIME')
  nowAt = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
else
  nowAt = tonumber(ARGV[5])
end

local refillPerMs = limit / periodMs
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'updatedAt')
local level = tonumber(stored[1])
local storedAt = tonumber(stored[2])
local updatedAt
local available
if level == nil or storedAt == nil then
  updatedAt = nowAt
  available = capacity
else
  updatedAt = math.max(storedAt, nowAt)
  local elapsedMs = math.max(0, nowAt - storedAt)
  available = math.min(capacity, level + elapsedMs * refillPerMs)
end

local granted = 0
local retryAfterMs = 0
local nextLevel = available
if available + FLOAT_TOLERANCE >= tokens then
  granted = 1
  nextLevel = math.max(0, available - tokens)
else
  retryAfterMs = math.max(1, math.ceil((tokens - available) / refillPerMs))
end

redis.call(
  'HSET', KEYS[1],
  'tokens', string.format('%.17g', nextLevel),
  'updatedAt', string.format('%.17g', updatedAt)
)
if serverClock then
  local fullInMs = math.ceil((capacity - nextLevel) / refillPerMs) + 1
  redis.call('PEXPIRE', KEYS[1], string.format('%.0f', fullInMs))
end
return { granted, retryAfterMs }
