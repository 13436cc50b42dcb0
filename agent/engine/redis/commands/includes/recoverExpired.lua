-- Tasks whose lease ran out: their worker died or stalled. The attempt stays counted; the task
-- is queued again, or dead when that was its last attempt.
local function recoverExpired(now, limit)
  local expired = redis.call('ZRANGEBYSCORE', activeKey, '-inf', asText(now - 1), 'LIMIT', 0, limit)
  if #expired == 0 then
    return 0
  end
  local nowText = asText(now)
  local leases = redis.call('HMGET', leasesKey, unpack(expired))
  dropLeases(expired)
  local arrival = nextArrivals(#expired)
  local requeued = 0
  local errorJson = '{"message":"lease expired: the worker stopped answering"}'
  for index, id in ipairs(expired) do
    local key = taskKey(id)
    local _, _, startedAt, workerId = parseLease(leases[index])
    local fields = redis.call('HMGET', key, 'attempts', 'maxAttempts', 'priority')
    local attempts = tonumber(fields[1])
    recordAttempt(key, attempts, 'lease-expired', nowText, errorJson, workerId, startedAt)
    redis.call('HSET', key, 'error', errorJson, 'startedAt', startedAt or '', 'workerId', workerId or '')
    bump('active', -1)
    if attempts >= tonumber(fields[2]) then
      finish(id, key, 'dead', nowText)
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
