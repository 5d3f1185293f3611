--[[
release-lock: frees a lock still held by the given owner and fencing token.

KEYS[1]  the lock (<ns>:{lock:<key>})
ARGV[1]  "<fencingToken>:<owner>" as returned by acquire

Returns  1 if released, 0 if it had lapsed or changed hands (the new holder keeps it).
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
return 1
