--[[
  Makes a scheduled or backing-off task queued now.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 task id
  Returns: 1 promoted, 0 not waiting, -2 no such task
]]
--@include queueKeys
--@include clock
--@include slices
--@include counts
--@include records
--@include pending

local id = ARGV[2]
local record = readRecord(redis.call('HGET', recordsKey, id))
if not record then
  return -2
end
if record.state ~= 'scheduled' and record.state ~= 'failed' then
  return 0
end
redis.call('ZREM', scheduledKey, id)
bump(record.state, -1)
bump('queued', 1)
record.state = 'queued'
record.runAt = asText(nowMs())
saveRecord(id, record)
flushRecords()
redis.call('ZADD', pendingKey, pendingScore(record.priority, nextArrivals(1) + 1), id)
writeCounts()
wake()
return 1
