-- Queued tasks sit in one sorted set: higher priority first, then first come, first served.
-- Score = (9 − priority) · 2^42 + arrival number: exact in a double for 2^42 arrivals per queue.
local priorityStride = 4398046511104

local function pendingScore(priority, arrival)
  return asText((9 - priority) * priorityStride + arrival)
end

local function nextArrivals(n)
  return redis.call('HINCRBY', sequenceKey, 'order', n) - n
end

local function wake()
  redis.call('PUBLISH', base .. 'wake', '1')
end
