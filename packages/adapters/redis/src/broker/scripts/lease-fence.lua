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
