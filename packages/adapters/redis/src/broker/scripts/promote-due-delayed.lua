-- promote-due-delayed.lua: the delayed mover on its own (a reserve runs it first too).
-- Moves due messages from `delayed` into the stream of their priority, earliest due first.
-- KEYS: the queue layout (queue-layout.lua).
-- ARGV[1] most messages to move in this call.
-- Returns the next due time (epoch ms), 0 when nothing else is delayed.
-- Guarantees: see promote_due in queue-layout.lua (never moves a message twice nor loses one).

return promote_due(now_ms(), tonumber(ARGV[1]))
