--[[
  Extends a lease while its holder still owns it.

  KEYS: 1 lease key
  ARGV: 1 holder value (agent id and fencing token), 2 lease (ms)
  Returns: 1 renewed, 0 the lease belongs to someone else or has lapsed
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
