--[[
set-result: writes a whole result record, never moving a terminal record back.

KEYS[1]  the record hash (<ns>:result:<taskId>)
ARGV[1]  '1' if the new status is terminal (SUCCESS, FAILURE, REVOKED), else '0'
ARGV[2]  time-to-live in ms, or '' for none
ARGV[3]  notification channel (<ns>:result-done:<taskId>)
ARGV[4…] the record's hash fields: field, value, field, value …

Returns  1 when written, 0 when ignored (a non-terminal write over a terminal record).
Guarantees: the check and the write are one atomic step, so a late STARTED or RETRY
can never replace SUCCESS/FAILURE/REVOKED; a terminal write replaces whatever is there
and publishes the same field list (as a JSON array) on the channel, so waiters get the
record without reading it back.
]]
local terminal = { SUCCESS = true, FAILURE = true, REVOKED = true }
if ARGV[1] ~= '1' then
  local current = redis.call('HGET', KEYS[1], 'status')
  if current and terminal[current] then
    return 0
  end
end
local fields = {}
for index = 4, #ARGV do
  fields[#fields + 1] = ARGV[index]
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(fields))
if ARGV[2] ~= '' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if ARGV[1] == '1' then
  redis.call('PUBLISH', ARGV[3], cjson.encode(fields))
end
return 1
