--[[
  Gives a lease up, only if its holder still owns it.

  KEYS: 1 lease key
  ARGV: 1 holder value (agent id and fencing token)
  Returns: 1 released, 0 not held
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
