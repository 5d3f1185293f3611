-- release-fenced.lua: hands back an unstarted message, uncounted, first in line.
-- KEYS: the queue layout (queue-layout.lua); prefixed with lease-fence.lua.
-- ARGV[1] message id, ARGV[2] lease token.
-- Returns 1, or the error LEASE_LOST (nothing changed).
-- Guarantees: the entry stays in the pending list (so it keeps its place ahead of newer
-- messages) with its delivery count lowered by one (XCLAIM RETRYCOUNT) and an idle time
-- that makes it claimable at once; the next reserve's XAUTOCLAIM counts it again, so
-- the release costs nothing towards the delivery limit. The old token stops working.

local now = now_ms()
local lease = held_lease(now)
if lease == nil then return lease_lost() end
local count = pending_count(lease.p, lease.sid)
redis.call('XCLAIM', stream_key(lease.p), GROUP, lease.consumer, 0, lease.sid,
  'TIME', 1, 'RETRYCOUNT', math.max(count - 1, 0), 'JUSTID')
redis.call('ZADD', lease_ends_key(lease.p), 0, lease.sid)
redis.call('HDEL', LEASES, ARGV[1])
return 1
