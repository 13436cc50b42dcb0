--[[
  Reads finished tasks not yet archived, oldest first. The archiver forgets them with
  forgetFinished once they are safe in Postgres. The one change it makes: an id whose task
  hash is gone (deleted by hand) is dropped from the list, so it cannot block the head for ever.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 most tasks
  Returns: {id, {field, value, …}, …}
]]
--@include queueKeys

local ids = redis.call('ZRANGE', finishedKey, 0, tonumber(ARGV[2]) - 1)
local results = {}
for _, id in ipairs(ids) do
  local fields = redis.call('HGETALL', taskKey(id))
  if #fields == 0 then
    redis.call('ZREM', finishedKey, id)
  else
    results[#results + 1] = id
    results[#results + 1] = fields
  end
end
return results
