-- Tasks whose lease ran out: their worker died or stalled. The attempt stays counted; the task
-- is queued again, or dead when that was its last attempt.
local function recoverExpired(now, limit)
  local expired = redis.call('ZRANGEBYSCORE', activeKey, '-inf', now - 1, 'LIMIT', 0, limit)
  if #expired == 0 then
    return 0
  end
  redis.call('ZREM', activeKey, unpack(expired))
  local arrival = nextArrivals(#expired)
  local requeued = 0
  for index, id in ipairs(expired) do
    local key = taskKey(id)
    local fields = redis.call('HMGET', key, 'attempts', 'maxAttempts', 'priority')
    local attempts = tonumber(fields[1])
    local errorJson = '{"message":"lease expired: the worker stopped answering"}'
    recordAttempt(key, attempts, 'lease-expired', now, errorJson)
    redis.call('HSET', key, 'error', errorJson)
    bump('active', -1)
    if attempts >= tonumber(fields[2]) then
      finish(id, key, 'dead', now)
    else
      redis.call('HSET', key, 'state', 'queued')
      addPending(id, tonumber(fields[3]), arrival + index)
      bump('queued', 1)
      requeued = requeued + 1
    end
  end
  if requeued > 0 then
    wake()
  end
  return #expired
end
