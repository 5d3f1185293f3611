--[[
renew-lock: extends a lock still held by the given owner and fencing token.

KEYS[1]  the lock (<ns>:{lock:<key>})
ARGV[1]  "<fencingToken>:<owner>" as returned by acquire
ARGV[2]  ttlMs from now (a positive integer)

Returns  1 if extended, 0 if the lock lapsed or changed hands (nothing is changed).
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
