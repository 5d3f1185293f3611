--[[
update-result-meta: merges entries into a record's meta and stamps updatedAt.

KEYS[1]  the record hash (<ns>:result:<taskId>)
ARGV[1]  n, the number of field/value pairs that follow
ARGV[2 … 1+2n]  meta:<name>, JSON value … (set)
ARGV[2+2n …]    meta:<name> … (removed: entries the caller set to undefined)

Returns  the new updatedAt (epoch ms, from the server's TIME), or -1 if no record exists.
Guarantees: the merge is atomic (concurrent updates of different entries both land);
status, payload, error and the record's TTL are left alone.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
local time = redis.call('TIME')
local nowAt = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local pairCount = tonumber(ARGV[1])
local sets = { 'updatedAt', string.format('%.0f', nowAt) }
for index = 2, 1 + 2 * pairCount do
  sets[#sets + 1] = ARGV[index]
end
redis.call('HSET', KEYS[1], unpack(sets))
for index = 2 + 2 * pairCount, #ARGV do
  redis.call('HDEL', KEYS[1], ARGV[index])
end
return nowAt
