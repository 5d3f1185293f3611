-- nack-fenced.lua: returns a leased message to its queue, now or after a delay.
-- KEYS: the queue layout (queue-layout.lua); prefixed with lease-fence.lua.
-- ARGV[1] message id, ARGV[2] lease token, ARGV[3] delay in ms,
-- ARGV[4] replacement envelope ('' to keep the stored one), ARGV[5] the replacement's
-- priority, ARGV[6] the replacement's notBeforeAt (epoch ms, 0 when none).
-- Returns 1, or the error LEASE_LOST (nothing changed).
-- Guarantees: the old entry is acked and deleted and the message re-added (stream tail,
-- or `delayed` when due later) in one step; the deliveries so far travel with it in
-- field c, except with a replacement envelope, whose count starts again at 0.

local now = now_ms()
local lease = held_lease(now)
if lease == nil then return lease_lost() end
local fields = entry_fields(lease.p, lease.sid)
if fields == nil then return lease_lost() end
local deliveries = tonumber(field(fields, 'c') or '0') + pending_count(lease.p, lease.sid)
local envelope, p, due_at = field(fields, 'e'), lease.p, now + tonumber(ARGV[3])
if ARGV[4] ~= '' then
  envelope, p, deliveries = ARGV[4], tonumber(ARGV[5]), 0
  due_at = math.max(due_at, tonumber(ARGV[6]))
end
drop_entry(lease.p, lease.sid, ARGV[1])
place_message(ARGV[1], p, deliveries, envelope, due_at, now)
return 1
