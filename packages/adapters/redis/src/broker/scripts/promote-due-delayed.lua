-- promote-due-delayed.lua: the delayed mover. Moves due messages from `delayed` into the
-- stream of their priority, earliest due first.
-- KEYS: the queue layout (queue-layout.lua).
-- ARGV[1] most messages to move in this call.
-- Returns {moved, next due at (epoch ms) or 0 when nothing else is delayed}.
-- Guarantees: the read, XADD, HDEL and ZREM of each message happen in one script, so
-- movers running at once in many processes never move a message twice nor lose one.

local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', DELAYED, '-inf', fmt(now), 'LIMIT', 0, tonumber(ARGV[1]))
for _, m in ipairs(due) do
  local stored = redis.call('HGET', DELAYED_MESSAGES, m)
  if stored then
    local p, deliveries, envelope = string.match(stored, '^(%d)|(%d+)|(.*)$')
    redis.call('XADD', stream_key(tonumber(p)), '*', 'm', m, 'c', deliveries, 'e', envelope)
    redis.call('HDEL', DELAYED_MESSAGES, m)
  end
  redis.call('ZREM', DELAYED, m)
end
local next_due = redis.call('ZRANGE', DELAYED, 0, 0, 'WITHSCORES')
return { #due, tonumber(next_due[2] or '0') }
