--[[
  Pauses or resumes a queue. Resuming wakes idle workers.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 paused (1/0)
  Returns: -1 when the queue does not exist, else 1
]]
--@include queueKeys
--@include clock
--@include pending

if redis.call('EXISTS', metaKey) == 0 then
  return -1
end
redis.call('HSET', metaKey, 'paused', ARGV[2])
if ARGV[2] == '0' then
  wake()
end
return 1
