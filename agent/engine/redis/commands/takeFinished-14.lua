--[[
  Reads finished tasks not yet archived, oldest first. The archiver forgets them with
  forgetFinished once they are safe in Postgres. The one change it makes: an id whose task
  data is gone (deleted by hand) is dropped from the list, so it cannot block the head for ever.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 most tasks
  Returns: {ids, specs, records, results, errors, histories}, each in the order of ids
]]
--@include queueKeys
--@include slices

local listed = redis.call('LRANGE', finishedKey, 0, tonumber(ARGV[2]) - 1)
if #listed == 0 then
  return {{}, {}, {}, {}, {}, {}}
end
local listedRecords = readMany(recordsKey, listed)
local ids = {}
local records = {}
for index, id in ipairs(listed) do
  if listedRecords[index] then
    ids[#ids + 1] = id
    records[#records + 1] = listedRecords[index]
  else
    redis.call('LREM', finishedKey, 1, id)
  end
end
if #ids == 0 then
  return {{}, {}, {}, {}, {}, {}}
end
return {ids, readMany(specsKey, ids), records, readMany(resultsKey, ids), readMany(errorsKey, ids), readMany(historiesKey, ids)}
