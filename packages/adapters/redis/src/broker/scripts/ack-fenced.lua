-- ack-fenced.lua: removes leased messages for good, each under its own fence.
-- KEYS: the queue layout (queue-layout.lua); prefixed with lease-fence.lua.
-- ARGV: pairs of message id, lease token (acks issued together travel in one call).
-- Returns one reply per pair: 1 when acked, 0 (nothing changed for that message) when
-- the token is not the current lease's or the lease ended. XACK alone would accept
-- anyone's ack.

local now = now_ms()
local replies = {}
for i = 1, #ARGV, 2 do
  local lease = held_lease_of(ARGV[i], ARGV[i + 1], now)
  if lease == nil then
    replies[#replies + 1] = 0
  else
    drop_leased_entry(lease, ARGV[i])
    replies[#replies + 1] = 1
  end
end
return replies
