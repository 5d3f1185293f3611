--[[
update-entry: replaces an entry with its next version if it is still at the version
the caller read, and re-indexes it.

KEYS[1]  <ns>:{sched:<ns>}:entries        hash entryId → entry JSON
KEYS[2]  <ns>:{sched:<ns>}:versions       hash entryId → version
KEYS[3]  <ns>:{sched:<ns>}:ids:enabled    zset (score 0)
KEYS[4]  <ns>:{sched:<ns>}:ids:disabled   zset (score 0)
KEYS[5]  <ns>:{sched:<ns>}:due            zset entryId by nextRunAt
ARGV[1]  entryId
ARGV[2]  the version the caller read (and merged its patch into)
ARGV[3]  the merged entry as a JSON object without updatedAt, at version ARGV[2] + 1
ARGV[4]  '1' if enabled, '0' if not
ARGV[5]  nextRunAt (epoch ms) or ''
ARGV[6]  the updatedAt the caller read (epoch ms)
ARGV[7]  change channel (<ns>:sched:changes)

Returns  { 1, updatedAt }          written; updatedAt = max(TIME, previous updatedAt)
         { 0, currentVersion }     the entry moved on since the caller read it
         { -1 }                    the entry does not exist
Guarantees: compare-and-set on the version, so no update is lost or applied over a
newer one; the entry, its indexes and the version change together.
]]
local current = redis.call('HGET', KEYS[2], ARGV[1])
if not current then
  return { -1 }
end
if current ~= ARGV[2] then
  return { 0, tonumber(current) }
end
local time = redis.call('TIME')
local nowAt = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local updatedAt = math.max(nowAt, tonumber(ARGV[6]))
local version = tonumber(current) + 1
local body = string.sub(ARGV[3], 1, -2) .. ',"updatedAt":' .. string.format('%.0f', updatedAt) .. '}'
redis.call('HSET', KEYS[1], ARGV[1], body)
redis.call('HSET', KEYS[2], ARGV[1], version)
redis.call('ZREM', KEYS[5], ARGV[1])
if ARGV[4] == '1' then
  redis.call('ZREM', KEYS[4], ARGV[1])
  redis.call('ZADD', KEYS[3], 0, ARGV[1])
  if ARGV[5] ~= '' then
    redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1])
  end
else
  redis.call('ZREM', KEYS[3], ARGV[1])
  redis.call('ZADD', KEYS[4], 0, ARGV[1])
end
redis.call('PUBLISH', ARGV[7], cjson.encode({ type = 'updated', entryId = ARGV[1], version = version }))
return { 1, updatedAt }
