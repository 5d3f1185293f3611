--[[
acquire-lock: takes a lock if it is free, lapsed, or already held by the same owner.

KEYS[1]  the lock (<ns>:{lock:<key>}), a string "<fencingToken>:<owner>" with a PX expiry
KEYS[2]  its fencing counter (<ns>:{lock:<key>}:fence), kept forever; same hash slot
ARGV[1]  owner
ARGV[2]  ttlMs (a positive integer)

Returns  { fencingToken, expiresAt } when taken (expiresAt from the server's TIME),
         or { 0, 0 } when another owner holds it.
Guarantees: one holder at a time (the check and SET are one step); every acquisition,
including a re-acquisition by the same owner, gets a token larger than any before it,
because the counter only grows and survives the lock's expiry.
]]
local current = redis.call('GET', KEYS[1])
if current then
  local separator = string.find(current, ':', 1, true)
  if string.sub(current, separator + 1) ~= ARGV[1] then
    return { 0, 0 }
  end
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token .. ':' .. ARGV[1], 'PX', ARGV[2])
local time = redis.call('TIME')
local nowAt = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
return { token, nowAt + tonumber(ARGV[2]) }
