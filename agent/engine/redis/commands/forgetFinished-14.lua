--[[
  Drops archived tasks from Redis. Only tasks still in the finished list are dropped: a task
  requeued meanwhile stays.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, then task ids
  Returns: how many were dropped
]]
--@include queueKeys
--@include slices

local ids = {}
for index = 2, #ARGV do
  ids[#ids + 1] = ARGV[index]
end
if #ids == 0 then
  return 0
end
local scores = redis.call('ZMSCORE', finishedKey, unpack(ids))
local dropped = {}
for index, id in ipairs(ids) do
  if scores[index] then
    dropped[#dropped + 1] = id
  end
end
for _, key in ipairs({finishedKey, specsKey, recordsKey, resultsKey, errorsKey, historiesKey}) do
  inSlices(key == finishedKey and 'ZREM' or 'HDEL', key, dropped)
end
return #dropped
