--[[
  Runs a dead or cancelled task again, under the same id, while the engine still holds it (before
  the archiver has forgotten it). It gets a fresh set of attempts: its attempt numbers continue
  (history keeps the earlier ones) and its max attempts rises by the number it had. It leaves the
  archiver's list, so history records it again only when it finishes again. Finished-state
  counts are totals since the queue was created, so they do not go down.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 task id
  Returns: 1 queued again, 0 not dead or cancelled, -2 no such task
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
if record.state ~= 'dead' and record.state ~= 'cancelled' then
  return 0
end
redis.call('LREM', finishedKey, 1, id)
record.maxAttempts = record.attempts + record.maxAttempts
record.state = 'queued'
record.runAt = asText(nowMs())
record.startedAt = ''
record.finishedAt = ''
record.lease = ''
bump('queued', 1)
saveRecord(id, record)
flushRecords()
redis.call('ZADD', pendingKey, pendingScore(record.priority, nextArrivals(1) + 1), id)
writeCounts()
wake()
return 1
