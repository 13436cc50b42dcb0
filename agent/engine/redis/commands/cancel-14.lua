--[[
  Cancels a task that has not finished. A cancelled active task's worker finds its
  acknowledgement stale and its lease lost.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 task id
  Returns: 1 cancelled, 0 already finished, -2 no such task
]]
--@include queueKeys
--@include clock
--@include slices
--@include counts
--@include records
--@include lease
--@include finish

local id = ARGV[2]
local record = readRecord(redis.call('HGET', recordsKey, id))
if not record then
  return -2
end
local nowText = asText(nowMs())
local state = record.state
if state == 'queued' then
  redis.call('ZREM', pendingKey, id)
elseif state == 'scheduled' or state == 'failed' then
  redis.call('ZREM', scheduledKey, id)
elseif state == 'active' then
  recordAttempt(id, record, 'cancelled', nowText, nil)
  endShare(record.lease)
  dropLeaseShares()
  record.lease = ''
else
  return 0
end
bump(state, -1)
finish(id, record, 'cancelled', nowText)
saveRecord(id, record)
flushRecords()
flushFinished()
writeCounts()
return 1
