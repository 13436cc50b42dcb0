-- Scheduled and backing-off tasks whose run-at has come become queued.
local function promoteDue(now, limit)
  local due = redis.call('ZRANGEBYSCORE', scheduledKey, '-inf', asText(now), 'LIMIT', 0, limit)
  if #due == 0 then
    return 0
  end
  redis.call('ZREM', scheduledKey, unpack(due))
  local arrival = nextArrivals(#due)
  for index, id in ipairs(due) do
    local key = taskKey(id)
    local fields = redis.call('HMGET', key, 'state', 'priority')
    bump(fields[1], -1)
    bump('queued', 1)
    redis.call('HSET', key, 'state', 'queued')
    addPending(id, tonumber(fields[2]), arrival + index)
  end
  return #due
end
