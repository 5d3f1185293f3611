--[[
init-group: creates a group (chord) counter unless it exists.

KEYS[1]  the group hash (<ns>:group:<groupId>): size, completed, member:<index> → record JSON
ARGV[1]  size (number of members)
ARGV[2]  time-to-live in ms, or '' for none

Returns  1 if created, 0 if a live group already existed (its state is kept).
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'size', ARGV[1], 'completed', 0)
if ARGV[2] ~= '' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
