--[[
  Makes a scheduled or backing-off task queued now.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 task id
  Returns: 1 promoted, 0 not waiting, -2 no such task
]]
--@include queueKeys
--@include counts
--@include pending

local id = ARGV[2]
local key = taskKey(id)
local fields = redis.call('HMGET', key, 'state', 'priority')
if not fields[1] then
  return -2
end
if fields[1] ~= 'scheduled' and fields[1] ~= 'failed' then
  return 0
end
redis.call('ZREM', scheduledKey, id)
redis.call('HSET', key, 'state', 'queued')
addPending(id, tonumber(fields[2]), nextArrivals(1) + 1)
bump(fields[1], -1)
bump('queued', 1)
writeCounts()
wake()
return 1
