--[[
  Enqueues a batch of tasks in one step. Wakes idle workers when a task is due now, or is
  scheduled sooner than any before it.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base
        2.. seven values per task: id, spec (JSON: type, payload and the rarely read options),
            priority (0–9), run-at (epoch ms; 0 = none), delay (ms), max attempts,
            idempotency key ('' = none)
  Returns: -1 when the queue does not exist;
           otherwise {id, deduplicated (0/1), …} per task, in order.
]]
--@include queueKeys
--@include clock
--@include slices
--@include counts
--@include records
--@include pending

if redis.call('EXISTS', metaKey) == 0 then
  return -1
end

local now = nowMs()
local nowText = asText(now)
local window = redis.call('HGET', metaKey, 'deduplicationWindowMs') or '86400000'
local taskCount = (#ARGV - 1) / 7
local arrival = nextArrivals(taskCount)
local results = {}
local specEntries = {}
local pendingEntries = {}
local scheduledEntries = {}
-- Idle workers sleep until the earliest scheduled task; one due sooner must wake them.
local earliest = redis.call('ZRANGE', scheduledKey, 0, 0, 'WITHSCORES')[2]
earliest = earliest and tonumber(earliest) or math.huge
local wakeEarlier = false

for index = 0, taskCount - 1 do
  local offset = 2 + index * 7
  local id = ARGV[offset]
  local idempotencyKey = ARGV[offset + 6]
  local existing = false
  if idempotencyKey ~= '' then
    local claimKey = base .. 'idem:' .. idempotencyKey
    existing = redis.call('GET', claimKey)
    if not existing then
      redis.call('SET', claimKey, id, 'PX', window)
    end
  end
  if existing then
    results[#results + 1] = existing
    results[#results + 1] = 1
  else
    local priority = tonumber(ARGV[offset + 2])
    local runAt = tonumber(ARGV[offset + 3])
    local delay = tonumber(ARGV[offset + 4])
    if delay > 0 then
      runAt = now + delay
    end
    local state = 'queued'
    local runAtText = ''
    if runAt > now then
      state = 'scheduled'
      runAtText = asText(runAt)
      scheduledEntries[#scheduledEntries + 1] = runAtText
      scheduledEntries[#scheduledEntries + 1] = id
      if runAt < earliest then
        earliest = runAt
        wakeEarlier = true
      end
    else
      pendingEntries[#pendingEntries + 1] = pendingScore(priority, arrival + index + 1)
      pendingEntries[#pendingEntries + 1] = id
    end
    bump(state, 1)
    specEntries[#specEntries + 1] = id
    specEntries[#specEntries + 1] = ARGV[offset + 1]
    recordWrites[#recordWrites + 1] = id
    recordWrites[#recordWrites + 1] = state .. '|0|' .. ARGV[offset + 5] .. '|' .. ARGV[offset + 2] .. '|' ..
      nowText .. '|' .. runAtText .. '||||'
    results[#results + 1] = id
    results[#results + 1] = 0
  end
end

inSlices('HSET', specsKey, specEntries)
flushRecords()
inSlices('ZADD', pendingKey, pendingEntries)
inSlices('ZADD', scheduledKey, scheduledEntries)
writeCounts()
if #pendingEntries > 0 or wakeEarlier then
  wake()
end
return results
