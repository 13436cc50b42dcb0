--[[
  Gives claimed tasks back without counting the attempt (a worker draining on shutdown).
  They go to the front of their priority, claimable at once.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, then pairs: id, fencing token
  Returns: {1 | 0, …}: 1 where the task was released, 0 where the lease was no longer held
]]
--@include queueKeys
--@include clock
--@include counts
--@include pending

local now = nowMs()
local results = {}
local released = 0
for index = 2, #ARGV, 2 do
  local id = ARGV[index]
  local key = taskKey(id)
  local fields = redis.call('HMGET', key, 'state', 'token', 'leaseUntil', 'priority')
  if fields[1] == 'active' and fields[2] == ARGV[index + 1] and tonumber(fields[3]) >= now then
    redis.call('ZREM', activeKey, id)
    redis.call('HINCRBY', key, 'attempts', -1)
    redis.call('HSET', key, 'state', 'queued')
    addPending(id, tonumber(fields[4]), 0)
    bump('active', -1)
    bump('queued', 1)
    released = released + 1
    results[#results + 1] = 1
  else
    results[#results + 1] = 0
  end
end
writeCounts()
if released > 0 then
  wake()
end
return results
