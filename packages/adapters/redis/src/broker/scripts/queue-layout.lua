-- queue-layout.lua: prelude prepended to every broker script (never run alone).
-- Names the keys of one queue and holds the helpers the scripts share.
--
-- KEYS (all share one hash slot through the {q:<queue>} tag; see redis-queue-keys.ts):
--   KEYS[1..10]   stream:0 .. stream:9  one stream per priority; entry fields
--                 m = message id (stable across re-adds), c = deliveries counted before
--                 this entry, e = encoded envelope. Consumer group `stem`.
--   KEYS[11..20]  lease-ends:0 .. :9    zset stream id -> lease end (epoch ms); 0 = released
--   KEYS[21]      leases                hash message id -> token|endsAt|priority|stream id|consumer
--   KEYS[22]      delayed               zset message id -> due at (epoch ms)
--   KEYS[23]      delayed-messages      hash message id -> priority|count|envelope
--   KEYS[24]      dead                  stream of dead letters (m, e, r = reason JSON, at, c)
--   KEYS[25]      levels                set of the priorities above 0 that have a stream, so
--                                       a reserve skips the levels nobody publishes at
--   KEYS[26]      wake                  stream of at most one entry, added when a delayed
--                                       message becomes the earliest due: idle consumers
--                                       block on it too, and re-time their wake-up
--
-- Lease ends are written into the pending list too: a leased entry's delivery time is
-- set to (lease end - IDLE_BASE_MS), so "idle >= IDLE_BASE_MS" means "lease ended" and
-- XAUTOCLAIM with that min-idle-time claims exactly the entries whose lease is over.

local GROUP = 'stem'
local LEVELS = 10
local LEASES, DELAYED, DELAYED_MESSAGES, DEAD = KEYS[21], KEYS[22], KEYS[23], KEYS[24]
local LEVELS_IN_USE, WAKE = KEYS[25], KEYS[26]

local function stream_key(p) return KEYS[p + 1] end
local function lease_ends_key(p) return KEYS[p + 11] end

-- Integers as decimal strings (tostring would give 1.7e+12 for epoch ms).
local function fmt(n) return string.format('%d', n) end

-- Server time in epoch ms: scripts never trust the client's clock.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- The value of `name` in a flat {name1, value1, name2, value2, ...} array.
local function field(fields, name)
  for i = 1, #fields, 2 do
    if fields[i] == name then return fields[i + 1] end
  end
  return nil
end

-- token|endsAt|priority|stream id|consumer
local function parse_lease(value)
  local token, ends, p, sid, consumer = string.match(value, '^([^|]*)|(%d+)|(%d)|([^|]*)|(.*)$')
  if token == nil then return nil end
  return { token = token, ends = tonumber(ends), p = tonumber(p), sid = sid, consumer = consumer }
end

local function lease_value(token, ends, p, sid, consumer)
  return token .. '|' .. fmt(ends) .. '|' .. fmt(p) .. '|' .. sid .. '|' .. consumer
end

-- The fields of stream entry `sid` at priority p, or nil once deleted.
local function entry_fields(p, sid)
  local found = redis.call('XRANGE', stream_key(p), sid, sid)
  if #found == 0 then return nil end
  return found[1][2]
end

-- The pending list's delivery count of entry `sid` (0 if it is not pending).
local function pending_count(p, sid)
  local pending = redis.call('XPENDING', stream_key(p), GROUP, sid, sid, 1)
  if #pending == 0 then return 0 end
  return tonumber(pending[1][4])
end

-- Removes the entry of a lease just read for message m: pending list, stream, lease end
-- and the lease itself.
local function drop_leased_entry(lease, m)
  redis.call('XACK', stream_key(lease.p), GROUP, lease.sid)
  redis.call('XDEL', stream_key(lease.p), lease.sid)
  redis.call('ZREM', lease_ends_key(lease.p), lease.sid)
  redis.call('HDEL', LEASES, m)
end

-- Removes entry `sid` for good: pending list, stream, lease end and (when it still
-- names this entry) the lease of message m.
local function drop_entry(p, sid, m)
  redis.call('XACK', stream_key(p), GROUP, sid)
  redis.call('XDEL', stream_key(p), sid)
  redis.call('ZREM', lease_ends_key(p), sid)
  if m ~= nil then
    local lease = redis.call('HGET', LEASES, m)
    if lease then
      local parsed = parse_lease(lease)
      if parsed == nil or (parsed.p == p and parsed.sid == sid) then redis.call('HDEL', LEASES, m) end
    end
  end
end

-- Appends a dead letter; its stream id is the dead-letter id.
local function add_dead_letter(m, envelope, reason_json, deliveries, now)
  return redis.call('XADD', DEAD, '*', 'm', m, 'e', envelope, 'r', reason_json,
    'at', fmt(now), 'c', fmt(deliveries))
end

-- Appends message m to the stream of priority p (level 0 is always read; others are
-- recorded in LEVELS_IN_USE so a reserve knows to look at them).
local function add_ready(m, p, deliveries, envelope)
  redis.call('XADD', stream_key(p), '*', 'm', m, 'c', deliveries, 'e', envelope)
  if p > 0 then redis.call('SADD', LEVELS_IN_USE, p) end
end

-- Makes message m ready (stream of priority p) or delayed until due_at. A delayed
-- message that is now the earliest due wakes idle consumers (their timers were set for a
-- later one, or none).
local function place_message(m, p, deliveries, envelope, due_at, now)
  if due_at > now then
    local earliest = redis.call('ZRANGE', DELAYED, 0, 0, 'WITHSCORES')
    redis.call('HSET', DELAYED_MESSAGES, m, fmt(p) .. '|' .. fmt(deliveries) .. '|' .. envelope)
    redis.call('ZADD', DELAYED, fmt(due_at), m)
    if earliest[2] == nil or due_at < tonumber(earliest[2]) then
      redis.call('XADD', WAKE, 'MAXLEN', '1', '*', 'w', '1')
    end
  else
    add_ready(m, p, fmt(deliveries), envelope)
  end
end

-- The delayed mover: moves up to `limit` due messages from `delayed` into the stream of
-- their priority, earliest due first. Returns the next due time (epoch ms), 0 when
-- nothing else is delayed. The read, XADD, HDEL and ZREM of each message happen in one
-- script, so movers running at once in many processes never move a message twice nor
-- lose one.
local function promote_due(now, limit)
  -- Most calls find nothing due: one read answers that.
  local earliest = redis.call('ZRANGE', DELAYED, 0, 0, 'WITHSCORES')
  if earliest[2] == nil then return 0 end
  if tonumber(earliest[2]) > now then return tonumber(earliest[2]) end
  local due = redis.call('ZRANGEBYSCORE', DELAYED, '-inf', fmt(now), 'LIMIT', 0, limit)
  for _, m in ipairs(due) do
    local stored = redis.call('HGET', DELAYED_MESSAGES, m)
    if stored then
      local p, deliveries, envelope = string.match(stored, '^(%d)|(%d+)|(.*)$')
      add_ready(m, tonumber(p), deliveries, envelope)
      redis.call('HDEL', DELAYED_MESSAGES, m)
    end
    redis.call('ZREM', DELAYED, m)
  end
  local next_due = redis.call('ZRANGE', DELAYED, 0, 0, 'WITHSCORES')
  return tonumber(next_due[2] or '0')
end

-- The priorities worth reading, highest first: those in LEVELS_IN_USE, then 0.
local function levels_in_use()
  local levels = {}
  for _, p in ipairs(redis.call('SMEMBERS', LEVELS_IN_USE)) do levels[#levels + 1] = tonumber(p) end
  table.sort(levels, function(a, b) return a > b end)
  levels[#levels + 1] = 0
  return levels
end
