-- Scheduled and backing-off tasks whose run-at has come become queued.
local function promoteDue(now, limit)
  local due = redis.call('ZRANGEBYSCORE', scheduledKey, '-inf', asText(now), 'LIMIT', 0, limit)
  if #due == 0 then
    return 0
  end
  inSlices('ZREM', scheduledKey, due)
  local records = readMany(recordsKey, due)
  local arrival = nextArrivals(#due)
  local pendingEntries = {}
  for index, id in ipairs(due) do
    local record = readRecord(records[index])
    bump(record.state, -1)
    bump('queued', 1)
    record.state = 'queued'
    saveRecord(id, record)
    pendingEntries[#pendingEntries + 1] = pendingScore(record.priority, arrival + index)
    pendingEntries[#pendingEntries + 1] = id
  end
  flushRecords()
  inSlices('ZADD', pendingKey, pendingEntries)
  return #due
end
