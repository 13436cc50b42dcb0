--[[
  Extends the leases of tasks still being worked on (the worker's heartbeat).

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 lease (ms), then pairs: id, fencing token
  Returns: {1 | 0, …}: 1 where the lease was current and is extended, 0 where it was lost
]]
--@include queueKeys
--@include clock

local now = nowMs()
local leaseUntil = now + tonumber(ARGV[2])
local results = {}
for index = 3, #ARGV, 2 do
  local id = ARGV[index]
  local key = taskKey(id)
  local fields = redis.call('HMGET', key, 'state', 'token', 'leaseUntil')
  if fields[1] == 'active' and fields[2] == ARGV[index + 1] and tonumber(fields[3]) >= now then
    redis.call('HSET', key, 'leaseUntil', leaseUntil)
    redis.call('ZADD', activeKey, 'XX', leaseUntil, id)
    results[#results + 1] = 1
  else
    results[#results + 1] = 0
  end
end
return results
