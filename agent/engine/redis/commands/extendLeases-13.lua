--[[
  Extends the leases of tasks still being worked on (the worker's heartbeat).

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 lease (ms), then pairs: id, fencing token
  Returns: {1 | 0, …}: 1 where the lease was current and is extended, 0 where it was lost
]]
--@include queueKeys
--@include clock
--@include slices
--@include lease

local now = nowMs()
local leaseUntil = asText(now + tonumber(ARGV[2]))
local ids = {}
for index = 3, #ARGV, 2 do
  ids[#ids + 1] = ARGV[index]
end
local leases = readLeases(ids)
local results = {}
local activeEntries = {}
local leaseEntries = {}
for index, id in ipairs(ids) do
  local token, deadline, startedAt, attempt, holder = parseLease(leases[index])
  if token == ARGV[2 + index * 2] and deadline >= now then
    activeEntries[#activeEntries + 1] = leaseUntil
    activeEntries[#activeEntries + 1] = id
    leaseEntries[#leaseEntries + 1] = id
    leaseEntries[#leaseEntries + 1] = leaseValue(token, leaseUntil, startedAt, attempt, holder)
    results[index] = 1
  else
    results[index] = 0
  end
end
writeLeases(leaseEntries)
for first = 1, #activeEntries, sliceSize do
  redis.call('ZADD', activeKey, 'XX', unpack(activeEntries, first, math.min(first + sliceSize - 1, #activeEntries)))
end
return results
