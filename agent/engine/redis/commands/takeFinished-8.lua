--[[
  Reads finished tasks not yet archived, oldest first. Changes nothing: the archiver forgets
  them with forgetFinished once they are safe in Postgres.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 most tasks
  Returns: {id, {field, value, …}, …}
]]
--@include queueKeys

local ids = redis.call('ZRANGE', finishedKey, 0, tonumber(ARGV[2]) - 1)
local results = {}
for _, id in ipairs(ids) do
  results[#results + 1] = id
  results[#results + 1] = redis.call('HGETALL', taskKey(id))
end
return results
