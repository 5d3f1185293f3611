--[[
append-run: adds a run to an entry's history, keeping the newest ones.

KEYS[1]  <ns>:{sched:<ns>}:versions      hash entryId → version
KEYS[2]  <ns>:{sched:<ns>}:runs:<id>     list of runs (JSON), newest first
ARGV[1]  entryId
ARGV[2]  the run as JSON
ARGV[3]  maxHistory: runs kept (0 keeps none)

Returns  1, or -1 if the entry does not exist (history never outlives its entry).
]]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return -1
end
local keep = tonumber(ARGV[3])
if keep <= 0 then
  redis.call('DEL', KEYS[2])
  return 1
end
redis.call('LPUSH', KEYS[2], ARGV[2])
redis.call('LTRIM', KEYS[2], 0, keep - 1)
return 1
