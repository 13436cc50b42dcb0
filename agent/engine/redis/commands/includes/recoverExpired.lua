-- Leases whose deadline passed: their worker died or stalled. Each task the lease still holds
-- keeps its attempt counted and is queued again, or dead when that was its last attempt.
local function recoverExpired(now, limit)
  local expired = redis.call('ZRANGEBYSCORE', activeKey, '-inf', asText(now - 1), 'LIMIT', 0, limit)
  if #expired == 0 then
    return 0
  end
  local nowText = asText(now)
  local errorJson = '{"message":"lease expired: the worker stopped answering"}'
  local recovered = 0
  local pendingEntries = {}
  for _, token in ipairs(expired) do
    local ids = redis.call('LRANGE', leaseListKey(token), 0, -1)
    local records = #ids > 0 and readMany(recordsKey, ids) or {}
    local arrival = nextArrivals(#ids)
    for index, id in ipairs(ids) do
      local record = readRecord(records[index])
      if record and record.state == 'active' and record.lease == token then
        recordAttempt(id, record, 'lease-expired', nowText, errorJson)
        record.lease = ''
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
        recovered = recovered + 1
      end
    end
    deleteLease(token)
  end
  flushRecords()
  if #pendingEntries > 0 then
    inSlices('ZADD', pendingKey, pendingEntries)
    wake()
  end
  return recovered
end
