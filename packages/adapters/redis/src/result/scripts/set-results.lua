--[[
set-results: writes whole result records, in order, never moving a terminal record back.
Records written in the same tick travel together (see RedisResultBackend.set).

KEYS[i]  the record hash of the i-th record (<ns>:result:<taskId>)
ARGV     four per record, in KEYS order: terminal ('1' if the new status is SUCCESS,
         FAILURE or REVOKED, else '0'), time-to-live in ms ('' for none), notification
         channel (<ns>:result-done:<taskId>), and the record's hash fields joined by NUL
         characters: field, value, field, value … (one argument instead of many, and no
         second JSON encoding of values that are JSON already; JSON text never holds a
         raw NUL, and the caller refuses a field name holding one).

Returns  one reply per record: 1 when written, 0 when ignored (a non-terminal write
         over a terminal record).
Guarantees: each record's check and write are one atomic step, so a late STARTED or
RETRY can never replace SUCCESS/FAILURE/REVOKED; a terminal write replaces whatever is
there and publishes the same NUL-joined field list on the channel, so waiters get
the record without reading it back. Two records of one task in one call are applied in
order.
]]
local terminal_status = { SUCCESS = true, FAILURE = true, REVOKED = true }

local function split_fields(text)
  local fields, start = {}, 1
  while true do
    local stop = string.find(text, '\0', start, true)
    if stop == nil then
      fields[#fields + 1] = string.sub(text, start)
      return fields
    end
    fields[#fields + 1] = string.sub(text, start, stop - 1)
    start = stop + 1
  end
end
local replies = {}
for index = 1, #KEYS do
  local key = KEYS[index]
  local at = (index - 1) * 4
  local terminal, ttl, channel, fields = ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4]
  local ignored = false
  if terminal ~= '1' then
    local current = redis.call('HGET', key, 'status')
    ignored = current and terminal_status[current]
  end
  if ignored then
    replies[index] = 0
  else
    redis.call('DEL', key)
    redis.call('HSET', key, unpack(split_fields(fields)))
    if ttl ~= '' then
      redis.call('PEXPIRE', key, ttl)
    end
    if terminal == '1' then
      redis.call('PUBLISH', channel, fields)
    end
    replies[index] = 1
  end
end
return replies
