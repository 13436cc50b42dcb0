--[[
  Creates a queue or updates its settings. Counts start at zero for a new queue.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 definition JSON, 3 concurrency (0 = no cap), 4 rate max (0 = none),
        5 rate interval (ms), 6 deduplication window (ms)
  Returns: 1 created, 0 updated
]]
--@include queueKeys

local created = redis.call('EXISTS', metaKey) == 0
redis.call('HSET', metaKey, 'definition', ARGV[2], 'concurrency', ARGV[3], 'rateMax', ARGV[4],
  'rateIntervalMs', ARGV[5], 'deduplicationWindowMs', ARGV[6])
if created then
  redis.call('HSET', metaKey, 'paused', '0')
  redis.call('HSET', countsKey, 'scheduled', 0, 'queued', 0, 'active', 0, 'failed', 0,
    'succeeded', 0, 'dead', 0, 'cancelled', 0)
  return 1
end
return 0
