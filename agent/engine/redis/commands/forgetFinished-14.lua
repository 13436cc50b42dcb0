--[[
  Drops archived tasks from Redis: the ids takeFinished answered, oldest first. Their data is
  dropped only while their record is still finished: a task requeued meanwhile stays.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, then task ids, in the order takeFinished gave them
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
-- The ids are the head of the list unless someone changed it meanwhile; trim what matches.
local head = redis.call('LRANGE', finishedKey, 0, #ids - 1)
local matching = 0
while matching < #ids and head[matching + 1] == ids[matching + 1] do
  matching = matching + 1
end
if matching > 0 then
  redis.call('LTRIM', finishedKey, matching, -1)
end
for index = matching + 1, #ids do
  redis.call('LREM', finishedKey, 1, ids[index])
end
local records = readMany(recordsKey, ids)
local dropped = {}
for index, id in ipairs(ids) do
  local state = records[index] and string.match(records[index], '^(%a+)|')
  if state == 'succeeded' or state == 'dead' or state == 'cancelled' then
    dropped[#dropped + 1] = id
  end
end
for _, key in ipairs({specsKey, recordsKey, resultsKey, errorsKey, historiesKey}) do
  inSlices('HDEL', key, dropped)
end
-- The lines handlers logged, one field per attempt (`<id>#<attempt>`), go with the task.
local logFields = {}
for index, id in ipairs(ids) do
  local state, attempts = string.match(records[index] or '', '^(%a+)|(%d+)|')
  if state == 'succeeded' or state == 'dead' or state == 'cancelled' then
    for attempt = 1, tonumber(attempts) do
      logFields[#logFields + 1] = id .. '#' .. attempt
    end
  end
end
inSlices('HDEL', base .. 'logs', logFields)
return #dropped
