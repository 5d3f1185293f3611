-- extend-lease.lua: moves a held lease's end to now + leaseMs (server time).
-- KEYS: the queue layout (queue-layout.lua); prefixed with lease-fence.lua.
-- ARGV[1] message id, ARGV[2] lease token, ARGV[3] lease length in ms,
-- ARGV[4] IDLE_BASE_MS (see queue-layout.lua).
-- Returns the new lease end (epoch ms), or the error LEASE_LOST (nothing changed).
-- Guarantees: the lease hash, the lease-end index and the pending entry's delivery time
-- move together, so the reclaimer cannot take an extended message. XCLAIM here uses
-- JUSTID on purpose: an extension is not a delivery and must not be counted.

local now = now_ms()
local lease = held_lease(now)
if lease == nil then return lease_lost() end
local ends = now + tonumber(ARGV[3])
redis.call('HSET', LEASES, ARGV[1], lease_value(lease.token, ends, lease.p, lease.sid, lease.consumer))
redis.call('ZADD', lease_ends_key(lease.p), fmt(ends), lease.sid)
redis.call('XCLAIM', stream_key(lease.p), GROUP, lease.consumer, 0, lease.sid,
  'TIME', fmt(ends - tonumber(ARGV[4])), 'JUSTID')
return ends
