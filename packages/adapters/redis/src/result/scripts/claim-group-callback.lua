--[[
claim-group-callback: gives the group's callback (its outcome) to one claimant.

KEYS[1]  the group hash (<ns>:group:<groupId>)
ARGV[1]  the claimant (e.g. 'done:<taskId>' or 'fail:<taskId>')

Returns  1 if ARGV[1] holds the claim (it took it now, or had taken it before)
         0 if another claimant holds it
         -1 if the group does not exist (never initialised, expired, forgotten)
Guarantees: across all processes exactly one claimant ever holds a group's claim; the
check and the write are one atomic step.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
redis.call('HSETNX', KEYS[1], 'claimant', ARGV[1])
if redis.call('HGET', KEYS[1], 'claimant') == ARGV[1] then
  return 1
end
return 0
