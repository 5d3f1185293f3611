-- lease-fence.lua: prelude for the fenced scripts (ack, nack, release, extend, dead
-- letter), prepended after queue-layout.lua. Never run alone.
--
-- ARGV[1] message id, ARGV[2] lease token (the delivery's).
-- held_lease(now) returns the lease when ARGV[2] is its token and it has not ended
-- (server time), else nil: the caller then replies LEASE_LOST and changes nothing.

local function held_lease_of(m, token, now)
  local value = redis.call('HGET', LEASES, m)
  if not value then return nil end
  local lease = parse_lease(value)
  if lease == nil or lease.token ~= token or lease.ends <= now then return nil end
  return lease
end

local function held_lease(now) return held_lease_of(ARGV[1], ARGV[2], now) end

local function lease_lost()
  return redis.error_reply('LEASE_LOST the lease on message ' .. ARGV[1] .. ' was lost')
end

-- Acks `count` pairs of message id, lease token starting at ARGV[first], each under its
-- own fence as held_lease_of checks it, with one HMGET for the leases and one command
-- of each kind (XACK, XDEL, ZREM per priority; HDEL) for the whole batch. Returns one
-- reply per pair: 1 when acked; 0 (nothing changed for that pair) when the token is not
-- the current lease's, the lease ended, or an earlier pair of the batch acked the message.
local function ack_batch(first, count, now)
  if count == 0 then return {} end
  local ids = {}
  for i = 0, count - 1 do ids[#ids + 1] = ARGV[first + 2 * i] end
  local values = redis.call('HMGET', LEASES, unpack(ids))
  local replies, acked, acked_ids, by_level = {}, {}, {}, {}
  for i = 1, count do
    local m, token = ids[i], ARGV[first + 2 * i - 1]
    local lease = nil
    if values[i] and not acked[m] then lease = parse_lease(values[i]) end
    if lease ~= nil and lease.token == token and lease.ends > now then
      acked[m] = true
      acked_ids[#acked_ids + 1] = m
      local sids = by_level[lease.p]
      if sids == nil then
        sids = {}
        by_level[lease.p] = sids
      end
      sids[#sids + 1] = lease.sid
      replies[i] = 1
    else
      replies[i] = 0
    end
  end
  for p, sids in pairs(by_level) do
    redis.call('XACK', stream_key(p), GROUP, unpack(sids))
    redis.call('XDEL', stream_key(p), unpack(sids))
    redis.call('ZREM', lease_ends_key(p), unpack(sids))
  end
  if #acked_ids > 0 then redis.call('HDEL', LEASES, unpack(acked_ids)) end
  return replies
end
