-- prune-idle-consumers.lua: deletes consumers that hold nothing and were idle a while.
-- KEYS: the queue layout (queue-layout.lua). ARGV[1] least idle time in ms.
-- Returns how many consumers were deleted.
-- XGROUP DELCONSUMER strands the pending entries of the consumer it deletes, so only a
-- consumer whose pending list is empty is deleted; the check and the delete happen in
-- one script. A live consumer deleted this way is recreated by its next read.

local idle_ms, removed = tonumber(ARGV[1]), 0
for p = 0, LEVELS - 1 do
  local key = stream_key(p)
  if redis.call('EXISTS', key) == 1 then
    local consumers = redis.pcall('XINFO', 'CONSUMERS', key, GROUP)
    if not consumers.err then
      for _, consumer in ipairs(consumers) do
        if tonumber(field(consumer, 'pending')) == 0 and tonumber(field(consumer, 'idle')) >= idle_ms then
          redis.call('XGROUP', 'DELCONSUMER', key, GROUP, field(consumer, 'name'))
          removed = removed + 1
        end
      end
    end
  end
end
return removed
