-- publish-message.lua: stores new messages, each ready or delayed by server time.
-- Messages published in the same tick travel together (see RedisBroker.publish).
-- KEYS: the queue layout (queue-layout.lua).
-- ARGV: four per message: message id, priority 0-9, encoded envelope, notBeforeAt in
-- epoch ms (0 when none).
-- Returns how many were delayed.
-- Guarantees: a message due later never enters a stream (it waits in `delayed`), so it
-- cannot be delivered early nor compete with lease timeouts while it waits.

-- The server's clock is only read when a message names a due time: TIME costs more than
-- the XADD of a ready message, and every enqueue waits for this script.
local now = nil
local delayed = 0
for i = 1, #ARGV, 4 do
  local due_at = tonumber(ARGV[i + 3])
  if due_at > 0 and now == nil then now = now_ms() end
  place_message(ARGV[i], tonumber(ARGV[i + 1]), 0, ARGV[i + 2], due_at, now or 0)
  if due_at > 0 and due_at > now then delayed = delayed + 1 end
end
return delayed
