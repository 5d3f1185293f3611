--[[
mark-occurrence-published: records that a claimed occurrence was published.

KEYS[1]  <ns>:{sched:<ns>}:claims        hash occurrenceId → claim JSON
KEYS[2]  <ns>:{sched:<ns>}:unpublished   zset occurrenceId by claimedAt
ARGV[1]  occurrenceId
ARGV[2]  taskId

Returns  publishedAt (the server's TIME, epoch ms), or -1 if there is no such claim.
Guarantees: the claim leaves the reaper's list in the same step.
]]
local held = redis.call('HGET', KEYS[1], ARGV[1])
if not held then
  return -1
end
local time = redis.call('TIME')
local nowAt = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local claim = cjson.decode(held)
claim.publishedAt = string.format('%.0f', nowAt)
claim.taskId = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(claim))
redis.call('ZREM', KEYS[2], ARGV[1])
return nowAt
