-- trim-settled-entries.lua: keeps stream memory from growing with processed messages.
-- KEYS: the queue layout (queue-layout.lua). ARGV: none.
-- Returns how many entries were trimmed.
-- Redis 7.0 has no XTRIM ... ACKED (8.2 added it) and XTRIM MAXLEN deletes entries still
-- pending, so each stream is trimmed by MINID: below its oldest pending entry, or, with
-- nothing pending, up to and including the group's last-delivered id. Entries after
-- that id were never delivered (ready) and are never touched; nothing pending is either.

local trimmed = 0
for p = 0, LEVELS - 1 do
  local key = stream_key(p)
  if redis.call('EXISTS', key) == 1 then
    local last_delivered = nil
    for _, group in ipairs(redis.call('XINFO', 'GROUPS', key)) do
      if field(group, 'name') == GROUP then last_delivered = field(group, 'last-delivered-id') end
    end
    if last_delivered ~= nil then
      local summary = redis.call('XPENDING', key, GROUP)
      local threshold
      if tonumber(summary[1]) > 0 then
        threshold = summary[2]
      else
        local ms, seq = string.match(last_delivered, '^(%d+)-(%d+)$')
        threshold = ms .. '-' .. fmt(tonumber(seq) + 1)
      end
      trimmed = trimmed + redis.call('XTRIM', key, 'MINID', threshold)
    end
  end
end
return trimmed
