--[[
delete-entry: deletes an entry with its indexes, claims and run history.

KEYS[1]  <ns>:{sched:<ns>}:entries           hash entryId → entry JSON
KEYS[2]  <ns>:{sched:<ns>}:versions          hash entryId → version
KEYS[3]  <ns>:{sched:<ns>}:ids:enabled       zset (score 0)
KEYS[4]  <ns>:{sched:<ns>}:ids:disabled      zset (score 0)
KEYS[5]  <ns>:{sched:<ns>}:due               zset entryId by nextRunAt
KEYS[6]  <ns>:{sched:<ns>}:claims            hash occurrenceId → claim JSON
KEYS[7]  <ns>:{sched:<ns>}:unpublished       zset occurrenceId by claimedAt
KEYS[8]  <ns>:{sched:<ns>}:claims-of:<id>    zset this entry's occurrenceIds by claimedAt
KEYS[9]  <ns>:{sched:<ns>}:runs:<id>         list of this entry's runs, newest first
ARGV[1]  entryId
ARGV[2]  expected version, or '' for no check
ARGV[3]  change channel (<ns>:sched:changes)

Returns  { 1, lastVersion } deleted; { 0, currentVersion } version conflict (nothing
         changed); { -1 } no such entry.
Guarantees: nothing of the entry survives it (a re-created entry starts with no
history and no claims); watchers are told once.
]]
local current = redis.call('HGET', KEYS[2], ARGV[1])
if not current then
  return { -1 }
end
if ARGV[2] ~= '' and current ~= ARGV[2] then
  return { 0, tonumber(current) }
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
local claimed = redis.call('ZRANGE', KEYS[8], 0, -1)
for _, occurrenceId in ipairs(claimed) do
  redis.call('HDEL', KEYS[6], occurrenceId)
  redis.call('ZREM', KEYS[7], occurrenceId)
end
redis.call('DEL', KEYS[8], KEYS[9])
local version = tonumber(current)
redis.call('PUBLISH', ARGV[3], cjson.encode({ type = 'deleted', entryId = ARGV[1], version = version }))
return { 1, version }
