-- dead-letter-fenced.lua: moves a leased message to the queue's dead-letter stream.
-- KEYS: the queue layout (queue-layout.lua); prefixed with lease-fence.lua.
-- ARGV[1] message id, ARGV[2] lease token, ARGV[3] reason as JSON.
-- Returns the dead-letter id, or the error LEASE_LOST (nothing changed).
-- Guarantees: removal from the queue and the append to `dead` happen in one step.

local now = now_ms()
local lease = held_lease(now)
if lease == nil then return lease_lost() end
local fields = entry_fields(lease.p, lease.sid)
if fields == nil then return lease_lost() end
local deliveries = tonumber(field(fields, 'c') or '0') + pending_count(lease.p, lease.sid)
drop_entry(lease.p, lease.sid, ARGV[1])
return add_dead_letter(ARGV[1], field(fields, 'e'), ARGV[3], deliveries, now)
