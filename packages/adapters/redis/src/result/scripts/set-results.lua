--[[
set-results: writes whole result records, in order, never moving a terminal record back.
Records written in the same tick travel together (see RedisResultBackend.set).

A record is one string value: its fields joined by NUL characters (field, value, field,
value …, starting with status; see result-record-fields.ts). One SET replaces it whole,
with no per-field work here; JSON text never holds a raw NUL, and the caller refuses a
field name holding one.

KEYS[i]  the record key of the i-th record (<ns>:result:<taskId>)
ARGV     four per record, in KEYS order: terminal ('1' if the new status is SUCCESS,
         FAILURE or REVOKED, else '0'), time-to-live in ms ('' for none), notification
         channel (<ns>:result-done:<taskId>), and the record's NUL-joined fields.

Returns  one reply per record: 1 when written, 0 when ignored (a non-terminal write
         over a terminal record).
Guarantees: each record's check and write are one atomic step, so a late STARTED or
RETRY can never replace SUCCESS/FAILURE/REVOKED; a terminal write replaces whatever is
there and publishes the same text on the channel, so waiters get the record without
reading it back. Two records of one task in one call are applied in order. A record
stored as a hash by an earlier version is read as such and replaced by the new form.
]]
local terminal_status = { SUCCESS = true, FAILURE = true, REVOKED = true }

-- The status of the record stored at key, or nil when there is none.
local function current_status(key)
  local text = redis.pcall('GET', key)
  if type(text) == 'table' and text.err then
    -- WRONGTYPE: a record kept as a hash by an earlier version.
    return redis.call('HGET', key, 'status') or nil
  end
  if not text then return nil end
  return string.match(text, '^status%z([^%z]*)')
end

local replies = {}
for index = 1, #KEYS do
  local key = KEYS[index]
  local at = (index - 1) * 4
  local terminal, ttl, channel, fields = ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4]
  local ignored = false
  if terminal ~= '1' then
    local status = current_status(key)
    ignored = status ~= nil and terminal_status[status]
  end
  if ignored then
    replies[index] = 0
  else
    -- SET replaces any earlier value (of any type) and its TTL.
    if ttl ~= '' then
      redis.call('SET', key, fields, 'PX', ttl)
    else
      redis.call('SET', key, fields)
    end
    if terminal == '1' then
      redis.call('PUBLISH', channel, fields)
    end
    replies[index] = 1
  end
end
return replies
