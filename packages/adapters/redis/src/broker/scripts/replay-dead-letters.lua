-- replay-dead-letters.lua: publishes dead letters again and removes them from `dead`.
-- KEYS: the queue layout (queue-layout.lua).
-- ARGV: groups of five per dead letter: dead-letter id, new message id, priority,
-- envelope (attempt already reset by the caller), notBeforeAt (epoch ms, 0 when none).
-- Returns how many were replayed.
-- Guarantees: a dead letter is re-published only if this call deleted it, so replays
-- racing each other publish every dead letter once.

local now, replayed = now_ms(), 0
for i = 1, #ARGV, 5 do
  if redis.call('XDEL', DEAD, ARGV[i]) == 1 then
    place_message(ARGV[i + 1], tonumber(ARGV[i + 2]), 0, ARGV[i + 3], tonumber(ARGV[i + 4]), now)
    replayed = replayed + 1
  end
end
return replayed
