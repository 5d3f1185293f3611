-- ack-fenced.lua: removes leased messages for good, each under its own fence.
-- KEYS: the queue layout (queue-layout.lua); prefixed with lease-fence.lua.
-- ARGV: pairs of message id, lease token (acks issued together travel in one call).
-- Returns one reply per pair: 1 when acked, 0 (nothing changed for that message) when
-- the token is not the current lease's or the lease ended. XACK alone would accept
-- anyone's ack.

return ack_batch(1, #ARGV / 2, now_ms())
