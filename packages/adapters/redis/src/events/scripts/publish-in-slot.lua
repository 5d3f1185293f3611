-- publish-in-slot.lua: PUBLISH through the node that owns the channel's hash slot.
-- KEYS[1]: the channel name, declared as a key only so a cluster client routes the call
-- by its slot (the script reads and writes no key). ARGV[1]: the channel; ARGV[2]: the
-- message. Returns PUBLISH's reply.
-- A cluster client sends a keyless PUBLISH to any node, and messages that entered the
-- cluster at different nodes reach a subscriber in no set order: one process's events
-- (task.started, then task.retried) could arrive swapped. Entering at one node keeps them
-- in the order they were sent.
return redis.call('PUBLISH', ARGV[1], ARGV[2])
