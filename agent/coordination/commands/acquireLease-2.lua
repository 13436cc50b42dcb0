--[[
  Takes a free lease and hands out the next fencing token.

  KEYS: 1 lease key, 2 fencing counter key
  ARGV: 1 holder id, 2 lease (ms)
  Returns: the fencing token when taken, 0 when someone else holds the lease
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. token, 'PX', ARGV[2])
return token
