--[[
  Extends the leases of tasks still being worked on (the worker's heartbeat). A lease covers a
  claimed batch: extending it extends every task of the batch still active.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 lease (ms), then pairs: id, fencing token
  Returns: {1 | 0, …}: 1 where the task's lease was current and is extended, 0 where it was lost
]]
--@include queueKeys
--@include clock
--@include slices
--@include records
--@include lease

local now = nowMs()
local deadline = asText(now + tonumber(ARGV[2]))
local ids, tokens = leaseRefs(3)
if #ids == 0 then
  return {}
end
local records = readMany(recordsKey, ids)
local results = {}
local extended = {}
for index, token in ipairs(tokens) do
  if holdsLease(records[index], token, now) then
    extended[token] = true
    results[index] = 1
  else
    results[index] = 0
  end
end
for token in pairs(extended) do
  redis.call('HSET', leasesKey, token, deadline)
  redis.call('ZADD', activeKey, 'XX', deadline, token)
end
return results
