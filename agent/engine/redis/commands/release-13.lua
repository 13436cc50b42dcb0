--[[
  Gives claimed tasks back without counting the attempt (a worker draining on shutdown).
  They go to the front of their priority, claimable at once. Their records never changed.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, then pairs: id, fencing token
  Returns: {1 | 0, …}: 1 where the task was released, 0 where the lease was no longer held
]]
--@include queueKeys
--@include clock
--@include slices
--@include counts
--@include records
--@include pending
--@include lease

local now = nowMs()
local ids = {}
for index = 2, #ARGV, 2 do
  ids[#ids + 1] = ARGV[index]
end
local leases = readLeases(ids)
local records = readMany(recordsKey, ids)
local results = {}
local released = {}
local pendingEntries = {}
for index, id in ipairs(ids) do
  local token, deadline = parseLease(leases[index])
  if token == ARGV[index * 2 + 1] and deadline >= now then
    local _, _, priority = claimFields(records[index])
    pendingEntries[#pendingEntries + 1] = pendingScore(tonumber(priority), 0)
    pendingEntries[#pendingEntries + 1] = id
    released[#released + 1] = id
    results[index] = 1
  else
    results[index] = 0
  end
end
if #released > 0 then
  dropLeases(released)
  inSlices('ZADD', pendingKey, pendingEntries)
  bump('active', -#released)
  bump('queued', #released)
  writeCounts()
  wake()
end
return results
