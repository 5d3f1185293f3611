-- reserve-deliveries.lua: runs the delayed mover, then leases up to `room` messages to
-- one consumer, highest priority first; within a priority, messages whose lease ended
-- (reclaimed) before new ones.
-- KEYS: the queue layout (queue-layout.lua).
-- ARGV[1] consumer name, ARGV[2] room (most deliveries), ARGV[3] lease length in ms,
-- ARGV[4] delivery limit, ARGV[5] token prefix (random per call),
-- ARGV[6] IDLE_BASE_MS (see queue-layout.lua), ARGV[7] most delayed messages to move.
-- Returns {dead-lettered count, ms until the next wake-up (-1 = none), last ids, deliveries}:
--   next wake-up = the earliest of the next lease end and the next delayed due time,
--   counted from the server's now so that the caller's clock never matters;
--   last ids = the newest entry id of each stream (p = 0..9, then `wake`; '0-0' when
--   empty), for a blocking XREAD that wakes on anything added after this call; empty
--   when the room was filled (the caller then has no reason to wait);
--   deliveries = {message id, envelope, token, delivery count, lease end} each.
-- Guarantees:
--   - the reclaimer walks the whole pending list with the XAUTOCLAIM cursor, never with
--     JUSTID, so every reclaim is counted in the pending list (the server's own count);
--   - a message whose next delivery would exceed the limit goes to `dead` exactly once
--     (reason DELIVERY_LIMIT_EXCEEDED) in the same step that took it;
--   - every delivery gets its lease (hash, lease-end index, pending delivery time) in
--     the step that delivered it (this script call), so a crash can never leave an
--     unleased delivery.

local consumer, room = ARGV[1], tonumber(ARGV[2])
local lease_ms, limit, token_prefix = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local idle_base = tonumber(ARGV[6])
local now = now_ms()
local next_due = promote_due(now, tonumber(ARGV[7]))
local deliveries, dead, issued = {}, 0, 0
-- Every lease of this call ends at the same time, so the leases are recorded together at
-- the end (record_leases): one HSET, and one ZADD and one XCLAIM per priority, instead
-- of three commands per delivery. Nothing in between reads what they write for the
-- entries taken here.
local ends = now + lease_ms
local ends_text, claim_time = fmt(ends), fmt(ends - idle_base)
local lease_fields, taken_sids = {}, {}

-- Leases entry {sid, fields} (pending count `count`) to this consumer, or dead-letters it.
local function take(p, sid, fields, count)
  local m, envelope = field(fields, 'm'), field(fields, 'e')
  local total = tonumber(field(fields, 'c') or '0') + count
  if total > limit then
    drop_entry(p, sid, m)
    local reason = '{"code":"DELIVERY_LIMIT_EXCEEDED","message":"delivered ' .. fmt(total - 1) ..
      ' times; the limit is ' .. fmt(limit) .. '"}'
    add_dead_letter(m, envelope, reason, total - 1, now)
    dead = dead + 1
    return
  end
  issued = issued + 1
  local token = token_prefix .. ':' .. issued
  lease_fields[#lease_fields + 1] = m
  lease_fields[#lease_fields + 1] = lease_value(token, ends, p, sid, consumer)
  local sids = taken_sids[p]
  if sids == nil then
    sids = {}
    taken_sids[p] = sids
  end
  sids[#sids + 1] = sid
  deliveries[#deliveries + 1] = { m, envelope, token, total, ends }
  room = room - 1
end

-- Records the leases of every entry taken: the lease hash, the lease-end index, and the
-- pending list's delivery time (lease end - idle_base, see queue-layout.lua).
local function record_leases()
  if #lease_fields == 0 then return end
  redis.call('HSET', LEASES, unpack(lease_fields))
  for p, sids in pairs(taken_sids) do
    local scored = {}
    for _, sid in ipairs(sids) do
      scored[#scored + 1] = ends_text
      scored[#scored + 1] = sid
    end
    redis.call('ZADD', lease_ends_key(p), unpack(scored))
    local claim = { stream_key(p), GROUP, consumer, 0 }
    for _, sid in ipairs(sids) do claim[#claim + 1] = sid end
    claim[#claim + 1] = 'TIME'
    claim[#claim + 1] = claim_time
    claim[#claim + 1] = 'JUSTID'
    redis.call('XCLAIM', unpack(claim))
  end
end

-- Claims entries of priority p whose lease ended, walking the pending list from its
-- start with the XAUTOCLAIM cursor until room runs out or every ended lease is found.
local function reclaim(p)
  local expected = redis.call('ZCOUNT', lease_ends_key(p), '-inf', fmt(now))
  if expected == 0 then return end
  local cursor, found = '0-0', 0
  repeat
    local reply = redis.call('XAUTOCLAIM', stream_key(p), GROUP, consumer, idle_base, cursor,
      'COUNT', room)
    cursor = reply[1]
    for _, entry in ipairs(reply[2]) do
      found = found + 1
      take(p, entry[1], entry[2], pending_count(p, entry[1]))
    end
    -- Entries deleted from the stream while pending are dropped by XAUTOCLAIM itself.
    for _, sid in ipairs(reply[3] or {}) do redis.call('ZREM', lease_ends_key(p), sid) end
  until cursor == '0-0' or room <= 0 or found >= expected
  if cursor == '0-0' and found < expected then
    -- A full walk found fewer ended leases than the index holds: drop index members
    -- that no longer name a pending entry, so later calls do not walk in vain.
    for _, sid in ipairs(redis.call('ZRANGEBYSCORE', lease_ends_key(p), '-inf', fmt(now), 'LIMIT', 0, 100)) do
      if pending_count(p, sid) == 0 then redis.call('ZREM', lease_ends_key(p), sid) end
    end
  end
end

-- Reads never-delivered entries of priority p (creating the group on first use).
local function read_new(p)
  local key = stream_key(p)
  while room > 0 do
    local asked = room
    local reply = redis.pcall('XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', asked, 'STREAMS', key, '>')
    if type(reply) == 'table' and reply.err then
      if not string.find(reply.err, 'NOGROUP', 1, true) then error(reply) end
      -- No group yet (create it), or no stream at all (nothing to read).
      if redis.call('EXISTS', key) == 0 then return end
      redis.call('XGROUP', 'CREATE', key, GROUP, '0')
    elseif not reply then
      return
    else
      local entries = reply[1][2]
      for _, entry in ipairs(entries) do take(p, entry[1], entry[2], 1) end
      -- Fewer than asked: nothing more to read (more rounds only replace dead letters).
      if #entries < asked then return end
    end
  end
end

local levels = levels_in_use()
for _, p in ipairs(levels) do
  if room <= 0 then break end
  reclaim(p)
  if room > 0 then read_new(p) end
end
record_leases()

-- Hints for the caller's blocking wait (only when it will wait: room is left): the next
-- lease end or delayed due time, and each stream's newest id ('0-0' for a level nobody
-- publishes at, so an XREAD wakes on its first entry).
local wake_at, last_ids = next_due, {}
if room > 0 then
  for p = 0, LEVELS - 1 do last_ids[p + 1] = '0-0' end
  for _, p in ipairs(levels) do
    local next_end = redis.call('ZRANGEBYSCORE', lease_ends_key(p), '(' .. fmt(now), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    if next_end[2] then
      local at = tonumber(next_end[2])
      if wake_at == 0 or at < wake_at then wake_at = at end
    end
    local newest = redis.call('XREVRANGE', stream_key(p), '+', '-', 'COUNT', 1)
    if newest[1] then last_ids[p + 1] = newest[1][1] end
  end
  local wake = redis.call('XREVRANGE', WAKE, '+', '-', 'COUNT', 1)
  last_ids[LEVELS + 1] = wake[1] and wake[1][1] or '0-0'
end
local wake_in = -1
if wake_at > 0 then wake_in = math.max(0, wake_at - now) end
return { dead, wake_in, last_ids, deliveries }
