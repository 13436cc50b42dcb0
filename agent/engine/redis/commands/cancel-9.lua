--[[
  Cancels a task that has not finished. A cancelled active task's worker finds its
  acknowledgement stale and its lease lost.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 task id
  Returns: 1 cancelled, 0 already finished, -2 no such task
]]
--@include queueKeys
--@include clock
--@include counts
--@include lease
--@include finish

local id = ARGV[2]
local key = taskKey(id)
local state = redis.call('HGET', key, 'state')
if not state then
  return -2
end
local nowText = asText(nowMs())
if state == 'queued' then
  redis.call('ZREM', pendingKey, id)
elseif state == 'scheduled' or state == 'failed' then
  redis.call('ZREM', scheduledKey, id)
elseif state == 'active' then
  local _, _, startedAt, holder = parseLease(redis.call('HGET', leasesKey, id))
  dropLeases({id})
  recordAttempt(key, tonumber(redis.call('HGET', key, 'attempts')), 'cancelled', nowText, nil, holder, startedAt)
  redis.call('HSET', key, 'startedAt', startedAt or '', 'workerId', holder or '')
else
  return 0
end
bump(state, -1)
finish(id, key, 'cancelled', nowText)
flushFinished()
writeCounts()
return 1
