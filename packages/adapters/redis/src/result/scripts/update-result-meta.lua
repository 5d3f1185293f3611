--[[
update-result-meta: merges entries into a record's meta and stamps updatedAt.

KEYS[1]  the record key (<ns>:result:<taskId>): a string of NUL-joined fields (see
         set-results.lua), or a hash written by an earlier version
ARGV[1]  n, the number of field/value pairs that follow
ARGV[2 … 1+2n]  meta:<name>, JSON value … (set)
ARGV[2+2n …]    meta:<name> … (removed: entries the caller set to undefined)

Returns  the new updatedAt (epoch ms, from the server's TIME), or -1 if no record exists.
Guarantees: the merge is atomic (concurrent updates of different entries both land);
status, payload, error and the record's TTL are left alone.
]]
local time = redis.call('TIME')
local now_at = string.format('%.0f', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
local pair_count = tonumber(ARGV[1])
local key = KEYS[1]

local text = redis.pcall('GET', key)
if type(text) == 'table' and text.err then
  -- WRONGTYPE: a record kept as a hash by an earlier version; merge field by field.
  local sets = { 'updatedAt', now_at }
  for index = 2, 1 + 2 * pair_count do sets[#sets + 1] = ARGV[index] end
  redis.call('HSET', key, unpack(sets))
  for index = 2 + 2 * pair_count, #ARGV do redis.call('HDEL', key, ARGV[index]) end
  return tonumber(now_at)
end
if not text then
  return -1
end

-- The stored pairs, in order, and where each field name sits.
local fields, position, start = {}, {}, 1
while true do
  local stop = string.find(text, '\0', start, true)
  fields[#fields + 1] = string.sub(text, start, (stop or 0) - 1)
  if stop == nil then break end
  start = stop + 1
end
for index = 1, #fields, 2 do position[fields[index]] = index end

local function put(name, value)
  local at = position[name]
  if at then
    fields[at + 1] = value
  else
    fields[#fields + 1] = name
    fields[#fields + 1] = value
    position[name] = #fields - 1
  end
end
put('updatedAt', now_at)
for index = 2, 1 + 2 * pair_count, 2 do put(ARGV[index], ARGV[index + 1]) end
local removed = {}
for index = 2 + 2 * pair_count, #ARGV do removed[ARGV[index]] = true end

local kept = {}
for index = 1, #fields, 2 do
  if not removed[fields[index]] then
    kept[#kept + 1] = fields[index]
    kept[#kept + 1] = fields[index + 1]
  end
end
redis.call('SET', key, table.concat(kept, '\0'), 'KEEPTTL')
return tonumber(now_at)
