-- queue-stats.lua: counts one queue's messages by state, at server time.
-- KEYS: the queue layout (queue-layout.lua). ARGV: none.
-- Returns {ready, delayed, in flight, dead}. A leased entry whose lease ended (or was
-- released) counts as ready, as does a delayed message already due but not yet moved.

local now = now_ms()
local entries, in_flight = 0, 0
for p = 0, LEVELS - 1 do
  entries = entries + redis.call('XLEN', stream_key(p))
  in_flight = in_flight + redis.call('ZCOUNT', lease_ends_key(p), '(' .. fmt(now), '+inf')
end
local due = redis.call('ZCOUNT', DELAYED, '-inf', fmt(now))
local delayed = redis.call('ZCARD', DELAYED) - due
return { entries - in_flight + due, delayed, in_flight, redis.call('XLEN', DEAD) }
