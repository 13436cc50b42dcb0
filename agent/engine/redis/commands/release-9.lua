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
--@include lease

local now = nowMs()
local ids, leases = readLeases(2, 2)
local results = {}
local released = {}
for index, id in ipairs(ids) do
  local token, deadline = parseLease(leases[index])
  if token == ARGV[index * 2 + 1] and deadline >= now then
    local key = taskKey(id)
    redis.call('HINCRBY', key, 'attempts', -1)
    redis.call('HSET', key, 'state', 'queued')
    addPending(id, tonumber(redis.call('HGET', key, 'priority')), 0)
    released[#released + 1] = id
    results[index] = 1
  else
    results[index] = 0
  end
end
if #released > 0 then
  dropLeases(released)
  bump('active', -#released)
  bump('queued', #released)
  writeCounts()
  wake()
end
return results
