--[[
add-group-result: records one member's result and counts distinct members.

KEYS[1]  the group hash (<ns>:group:<groupId>)
ARGV[1]  the member's 0-based index (an integer; checked by the caller)
ARGV[2]  the member's result record as JSON

Returns  { completed, size, justCompleted (1/0) }
         { -1 } if the group does not exist (never initialised, expired, forgotten)
         { -2, size } if the index is outside 0 … size-1
Guarantees: a repeated index changes nothing; the report that makes completed reach
size is the only one, across all processes, that gets justCompleted = 1.
]]
local size = tonumber(redis.call('HGET', KEYS[1], 'size'))
if size == nil then
  return { -1 }
end
local index = tonumber(ARGV[1])
if index < 0 or index >= size then
  return { -2, size }
end
local added = redis.call('HSETNX', KEYS[1], 'member:' .. ARGV[1], ARGV[2])
if added == 0 then
  return { tonumber(redis.call('HGET', KEYS[1], 'completed')), size, 0 }
end
local completed = redis.call('HINCRBY', KEYS[1], 'completed', 1)
local justCompleted = 0
if completed == size then
  justCompleted = 1
end
return { completed, size, justCompleted }
