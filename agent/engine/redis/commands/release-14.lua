--[[
  Gives claimed tasks back without counting the attempt (a worker draining on shutdown).
  They go to the front of their priority, claimable at once.

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
local leases = readMany(leasesKey, ids)
local records = readMany(recordsKey, ids)
local results = {}
local released = {}
local pendingEntries = {}
for index, id in ipairs(ids) do
  local token, deadline = parseLease(leases[index])
  if token == ARGV[index * 2 + 1] and deadline >= now then
    local record = readRecord(records[index])
    record.attempts = record.attempts - 1
    record.state = 'queued'
    saveRecord(id, record)
    pendingEntries[#pendingEntries + 1] = pendingScore(record.priority, 0)
    pendingEntries[#pendingEntries + 1] = id
    released[#released + 1] = id
    results[index] = 1
  else
    results[index] = 0
  end
end
if #released > 0 then
  flushRecords()
  dropLeases(released)
  inSlices('ZADD', pendingKey, pendingEntries)
  bump('active', -#released)
  bump('queued', #released)
  writeCounts()
  wake()
end
return results
