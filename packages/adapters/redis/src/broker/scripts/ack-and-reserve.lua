-- ack-and-reserve.lua: acks a consumer's settled messages and, in the same step,
-- reserves new ones for it (a busy consumer's next messages ride on its acks, as one
-- round trip instead of two).
-- KEYS: the queue layout (queue-layout.lua); prefixed with lease-fence.lua and with
-- reserve-deliveries.lua wrapped as reserve_deliveries(args) (see broker-scripts.ts).
-- ARGV[1] number of acks n; ARGV[2 .. 2n+1] pairs of message id, lease token;
-- ARGV[2n+2 ..] the arguments of reserve-deliveries.lua.
-- Returns {one reply per ack (as ack-fenced.lua), the reply of reserve-deliveries.lua}.
-- Guarantees: those of ack-fenced.lua for every ack (each fenced on its own token) and
-- of reserve-deliveries.lua for the reserve.

local replies = ack_batch(2, tonumber(ARGV[1]), now_ms())
local reserve_args = {}
for i = 2 * tonumber(ARGV[1]) + 2, #ARGV do reserve_args[#reserve_args + 1] = ARGV[i] end
return { replies, reserve_deliveries(reserve_args) }
