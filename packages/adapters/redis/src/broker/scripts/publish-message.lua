-- publish-message.lua: stores one new message, ready or delayed by server time.
-- KEYS: the queue layout (queue-layout.lua).
-- ARGV[1] message id, ARGV[2] priority 0-9, ARGV[3] encoded envelope,
-- ARGV[4] notBeforeAt in epoch ms (0 when none).
-- Returns 1 if delayed, 0 if ready.
-- Guarantees: a message due later never enters a stream (it waits in `delayed`), so it
-- cannot be delivered early nor compete with lease timeouts while it waits.

local now = now_ms()
local due_at = tonumber(ARGV[4])
place_message(ARGV[1], tonumber(ARGV[2]), 0, ARGV[3], due_at, now)
if due_at > now then return 1 end
return 0
