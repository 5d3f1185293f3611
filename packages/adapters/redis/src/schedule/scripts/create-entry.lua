--[[
create-entry: stores a new schedule entry at version 1 and indexes it.

KEYS[1]  <ns>:{sched:<ns>}:entries        hash entryId → entry JSON
KEYS[2]  <ns>:{sched:<ns>}:versions       hash entryId → version
KEYS[3]  <ns>:{sched:<ns>}:ids:enabled    zset (score 0) of enabled ids, listed by lex
KEYS[4]  <ns>:{sched:<ns>}:ids:disabled   zset (score 0) of disabled ids
KEYS[5]  <ns>:{sched:<ns>}:due            zset enabled entryId by nextRunAt
ARGV[1]  entryId
ARGV[2]  the entry as a JSON object without createdAt and updatedAt (version 1)
ARGV[3]  '1' if enabled, '0' if not
ARGV[4]  nextRunAt (epoch ms) or ''
ARGV[5]  change channel (<ns>:sched:changes)

Returns  createdAt (the server's TIME in epoch ms, also the updatedAt), or -1 if the id
         is taken.
Guarantees: the entry and its indexes appear together; watchers are told once it is in.
]]
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
  return -1
end
local time = redis.call('TIME')
local nowAt = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local stamp = string.format('%.0f', nowAt)
local body = string.sub(ARGV[2], 1, -2) .. ',"createdAt":' .. stamp .. ',"updatedAt":' .. stamp .. '}'
redis.call('HSET', KEYS[1], ARGV[1], body)
redis.call('HSET', KEYS[2], ARGV[1], 1)
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[3], 0, ARGV[1])
  if ARGV[4] ~= '' then
    redis.call('ZADD', KEYS[5], ARGV[4], ARGV[1])
  end
else
  redis.call('ZADD', KEYS[4], 0, ARGV[1])
end
redis.call('PUBLISH', ARGV[5], cjson.encode({ type = 'created', entryId = ARGV[1], version = 1 }))
return nowAt
