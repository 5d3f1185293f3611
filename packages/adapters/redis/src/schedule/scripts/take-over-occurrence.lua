--[[
take-over-occurrence: hands an old unpublished claim to a reaper.

KEYS[1]  <ns>:{sched:<ns>}:claims        hash occurrenceId → claim JSON
KEYS[2]  <ns>:{sched:<ns>}:unpublished   zset occurrenceId by claimedAt
ARGV[1]  occurrenceId
ARGV[2]  the new claimant
ARGV[3]  minAgeMs: the claim must be at least this old by the server's TIME

Returns  { 'taken-over', claim JSON, previous claimant }
         { 'missing' }     no such claim
         { 'published' }   already published
         { 'fresh' }       younger than ARGV[3]
Guarantees: check and restamp are one step and the new claimedAt is the server's now,
so of racing reapers exactly one wins and the next must wait ARGV[3] again. The age is
measured on the server's clock, never a beat's, so skewed beats agree.
]]
local held = redis.call('HGET', KEYS[1], ARGV[1])
if not held then
  return { 'missing' }
end
local claim = cjson.decode(held)
if claim.publishedAt then
  return { 'published' }
end
local time = redis.call('TIME')
local nowAt = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if nowAt - tonumber(claim.claimedAt) < tonumber(ARGV[3]) then
  return { 'fresh' }
end
local previous = claim.claimant
claim.claimant = ARGV[2]
claim.claimedAt = string.format('%.0f', nowAt)
local text = cjson.encode(claim)
redis.call('HSET', KEYS[1], ARGV[1], text)
redis.call('ZADD', KEYS[2], claim.claimedAt, ARGV[1])
return { 'taken-over', text, previous }
