-- Tasks whose lease ran out: their worker died or stalled. The attempt stays counted; the task
-- is queued again, or dead when that was its last attempt.
local function recoverExpired(now, limit)
  local expired = redis.call('ZRANGEBYSCORE', activeKey, '-inf', asText(now - 1), 'LIMIT', 0, limit)
  if #expired == 0 then
    return 0
  end
  local nowText = asText(now)
  local leases = readLeases(expired)
  local records = readMany(recordsKey, expired)
  dropLeases(expired)
  local arrival = nextArrivals(#expired)
  local pendingEntries = {}
  local errorJson = '{"message":"lease expired: the worker stopped answering"}'
  for index, id in ipairs(expired) do
    local record = readRecord(records[index])
    local _, _, startedAt, attempt, workerId = parseLease(leases[index])
    record.attempts = tonumber(attempt) or record.attempts
    record.startedAt = startedAt or ''
    record.workerId = workerId or ''
    recordAttempt(id, record, 'lease-expired', nowText, errorJson)
    bump('active', -1)
    if record.attempts >= record.maxAttempts then
      finish(id, record, 'dead', nowText)
    else
      record.state = 'queued'
      pendingEntries[#pendingEntries + 1] = pendingScore(record.priority, arrival + index)
      pendingEntries[#pendingEntries + 1] = id
      bump('queued', 1)
    end
    saveRecord(id, record)
  end
  flushRecords()
  if #pendingEntries > 0 then
    inSlices('ZADD', pendingKey, pendingEntries)
    wake()
  end
  return #expired
end
