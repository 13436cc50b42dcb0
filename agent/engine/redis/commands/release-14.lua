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
local ids, tokens = leaseRefs(2)
if #ids == 0 then
  return {}
end
local records = readMany(recordsKey, ids)
local results = {}
local pendingEntries = {}
for index, id in ipairs(ids) do
  local token = tokens[index]
  if holdsLease(records[index], token, now) then
    local record = readRecord(records[index])
    record.state = 'queued'
    record.attempts = record.attempts - 1
    record.startedAt = ''
    record.lease = ''
    record.workerId = ''
    saveRecord(id, record)
    endShare(token)
    pendingEntries[#pendingEntries + 1] = pendingScore(record.priority, 0)
    pendingEntries[#pendingEntries + 1] = id
    results[index] = 1
  else
    results[index] = 0
  end
end
if #pendingEntries > 0 then
  flushRecords()
  dropLeaseShares()
  inSlices('ZADD', pendingKey, pendingEntries)
  bump('active', -#pendingEntries / 2)
  bump('queued', #pendingEntries / 2)
  writeCounts()
  wake()
end
return results
