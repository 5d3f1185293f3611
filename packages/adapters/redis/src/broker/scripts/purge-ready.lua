-- purge-ready.lua: deletes up to ARGV[1] ready and delayed messages of one queue.
-- KEYS: the queue layout (queue-layout.lua). ARGV[1] most deletions per kind and level.
-- Returns how many messages it deleted; the caller repeats until it returns 0.
-- Deletes never-delivered entries (after the group's last-delivered id), pending entries
-- whose lease ended or was released, and delayed messages. Live leases are kept.

local now, batch, deleted = now_ms(), tonumber(ARGV[1]), 0

local function last_delivered_id(key)
  for _, group in ipairs(redis.call('XINFO', 'GROUPS', key)) do
    if field(group, 'name') == GROUP then return field(group, 'last-delivered-id') end
  end
  return nil
end

for p = 0, LEVELS - 1 do
  local key = stream_key(p)
  if redis.call('EXISTS', key) == 1 then
    for _, sid in ipairs(redis.call('ZRANGEBYSCORE', lease_ends_key(p), '-inf', fmt(now), 'LIMIT', 0, batch)) do
      local fields = entry_fields(p, sid)
      drop_entry(p, sid, fields and field(fields, 'm'))
      if fields then deleted = deleted + 1 end
    end
    local after = last_delivered_id(key)
    local start = after and ('(' .. after) or '-'
    local fresh = redis.call('XRANGE', key, start, '+', 'COUNT', batch)
    for _, entry in ipairs(fresh) do
      deleted = deleted + redis.call('XDEL', key, entry[1])
    end
  end
end
for _, m in ipairs(redis.call('ZRANGE', DELAYED, 0, batch - 1)) do
  redis.call('HDEL', DELAYED_MESSAGES, m)
  deleted = deleted + redis.call('ZREM', DELAYED, m)
end
return deleted
