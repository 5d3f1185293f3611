--[[
revoke-task: records (or replaces) one task's revocation and drops lapsed ones.

KEYS[1]  <ns>:{revocations:<ns>}:by-task  hash taskId → revocation JSON
KEYS[2]  <ns>:{revocations:<ns>}:expiry   zset taskId by expiresAt
KEYS[3]  <ns>:{revocations:<ns>}:order    zset taskId by revocation sequence
KEYS[4]  <ns>:{revocations:<ns>}:sequence counter behind the order
ARGV[1]  taskId
ARGV[2]  the revocation as JSON
ARGV[3]  expiresAt, epoch ms

Returns  the number of lapsed revocations dropped.
Guarantees: the three structures change together; a repeated revocation moves to the
end of the order; at most 100 lapsed revocations (by the server's TIME) are dropped
per call, so the cost of a call stays bounded.
]]
local sequence = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], sequence, ARGV[1])
local time = redis.call('TIME')
local nowAt = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', nowAt, 'LIMIT', 0, 100)
for _, taskId in ipairs(lapsed) do
  redis.call('HDEL', KEYS[1], taskId)
  redis.call('ZREM', KEYS[2], taskId)
  redis.call('ZREM', KEYS[3], taskId)
end
return #lapsed
