--[[
  Drops archived tasks from Redis. Only finished tasks are dropped: a task requeued meanwhile
  stays.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, then task ids
  Returns: how many were dropped
]]
--@include queueKeys

local dropped = 0
for index = 2, #ARGV do
  local id = ARGV[index]
  if redis.call('ZREM', finishedKey, id) == 1 then
    redis.call('UNLINK', taskKey(id))
    dropped = dropped + 1
  end
end
return dropped
