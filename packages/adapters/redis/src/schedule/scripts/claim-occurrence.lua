--[[
claim-occurrence: claims one occurrence (entryId@scheduledAt) for one beat instance.

KEYS[1]  <ns>:{sched:<ns>}:versions          hash entryId → version
KEYS[2]  <ns>:{sched:<ns>}:claims            hash occurrenceId → claim JSON
KEYS[3]  <ns>:{sched:<ns>}:unpublished       zset occurrenceId by claimedAt
KEYS[4]  <ns>:{sched:<ns>}:claims-of:<id>    zset this entry's occurrenceIds by claimedAt
ARGV[1]  entryId
ARGV[2]  occurrenceId (`${entryId}@${scheduledAt}`)
ARGV[3]  scheduledAt (epoch ms)
ARGV[4]  claimant
ARGV[5]  the entry version the claimant computed the occurrence from
ARGV[6]  claims kept per entry before the oldest published ones are dropped

Returns  { 'claimed', claimedAt }   the caller won (claimedAt from the server's TIME)
         { 'missing' }              no such entry
         { 'stale' }                the entry's version is not ARGV[5]
         { 'taken', heldBy }        someone claimed it first
Guarantees: check and claim are one step, so of any number of racing claimers exactly
one wins. Claim JSON holds only strings (numbers as text) so cjson cannot round them.
A dropped (old, published) claim cannot be won again in practice: firing bumps the
entry's version, so a late claimer is refused as stale.
]]
local version = redis.call('HGET', KEYS[1], ARGV[1])
if not version then
  return { 'missing' }
end
if version ~= ARGV[5] then
  return { 'stale' }
end
local held = redis.call('HGET', KEYS[2], ARGV[2])
if held then
  return { 'taken', cjson.decode(held).claimant }
end
local time = redis.call('TIME')
local nowAt = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local claimedAt = string.format('%.0f', nowAt)
redis.call('HSET', KEYS[2], ARGV[2], cjson.encode({
  occurrenceId = ARGV[2],
  entryId = ARGV[1],
  scheduledAt = ARGV[3],
  claimant = ARGV[4],
  claimedAt = claimedAt,
}))
redis.call('ZADD', KEYS[3], claimedAt, ARGV[2])
redis.call('ZADD', KEYS[4], claimedAt, ARGV[2])

-- Bound the entry's claims: drop the oldest published ones past the cap, looking at
-- no more than 100 per call so a claim's cost stays bounded.
local keep = tonumber(ARGV[6])
local excess = redis.call('ZCARD', KEYS[4]) - keep
if excess > 0 then
  for _, occurrenceId in ipairs(redis.call('ZRANGE', KEYS[4], 0, 99)) do
    if excess <= 0 then
      break
    end
    if not redis.call('ZSCORE', KEYS[3], occurrenceId) then
      redis.call('ZREM', KEYS[4], occurrenceId)
      redis.call('HDEL', KEYS[2], occurrenceId)
      excess = excess - 1
    end
  end
end
return { 'claimed', nowAt }
