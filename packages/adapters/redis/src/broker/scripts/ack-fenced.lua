-- ack-fenced.lua: removes a leased message for good.
-- KEYS: the queue layout (queue-layout.lua); prefixed with lease-fence.lua.
-- ARGV[1] message id, ARGV[2] lease token.
-- Returns 1, or the error LEASE_LOST (nothing changed) when the token is not the
-- current lease's or the lease ended. XACK alone would accept anyone's ack.

local now = now_ms()
local lease = held_lease(now)
if lease == nil then return lease_lost() end
drop_entry(lease.p, lease.sid, ARGV[1])
return 1
