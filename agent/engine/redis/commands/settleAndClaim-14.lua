--[[
  The worker's hot path: records the outcomes of finished attempts, then claims the next batch
  under a lease. Either part may be empty. Before claiming it recovers expired leases and
  promotes due scheduled tasks, so a queue needs no background sweeper to make progress.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 worker id, 3 most tasks to claim (0 = settle only), 4 lease (ms),
        5 number of outcomes,
        then the outcomes' ids (one each), then five values per outcome:
        fencing token, status ('succeeded' | 'failed'), result or error JSON,
        retry delay (ms), retryable (1/0),
        then, only when some outcomes are of announced tasks (agent/engine/finishedTasks.ts):
        the channel to announce on, the queue's name, how many, and per announced outcome its
        position (1-based), idempotency key and attempt number. Each of those that finished
        (succeeded, or dead) or is retrying is published in one message after the outcomes are
        applied.
  Returns: {acknowledged, claimed, lease deadline, next due (−1 = none)}
           acknowledged: one of 'succeeded' | 'retrying' | 'dead' | 'stale' per outcome
           claimed: {id, spec, priority, attempt, max attempts, token, …} (six values per task;
           one lease, so one fencing token, covers the whole batch)
]]
--@include queueKeys
--@include clock
--@include slices
--@include counts
--@include records
--@include pending
--@include lease
--@include finish
--@include recoverExpired
--@include promoteDue
--@include announce

local now = nowMs()
local nowText = asText(now)
local workerId = ARGV[2]
local wanted = tonumber(ARGV[3])
local leaseMs = tonumber(ARGV[4])
local outcomeCount = tonumber(ARGV[5])
local settings = redis.call('HMGET', metaKey, 'paused', 'concurrency', 'rateMax', 'rateIntervalMs')
local concurrency = tonumber(settings[2])
local rateMax = tonumber(settings[3])

-- 1. Outcomes: applied only while the lease they name is current.
local acknowledged = {}
if outcomeCount > 0 then
  local ids = {}
  for index = 1, outcomeCount do
    ids[index] = ARGV[5 + index]
  end
  local records = readMany(recordsKey, ids)
  local resultEntries = {}
  local retrying = {}
  local settled = 0
  local succeeded = 0
  for index = 1, outcomeCount do
    local id = ids[index]
    local offset = 6 + outcomeCount + (index - 1) * 5
    local token = ARGV[offset]
    if not holdsLease(records[index], token, now) then
      acknowledged[index] = 'stale'
    else
      settled = settled + 1
      endShare(token)
      if ARGV[offset + 1] == 'succeeded' then
        recordWrites[#recordWrites + 1] = id
        recordWrites[#recordWrites + 1] = succeededRecord(records[index], nowText)
        finishedIds[#finishedIds + 1] = id
        succeeded = succeeded + 1
        if ARGV[offset + 2] ~= 'null' then
          resultEntries[#resultEntries + 1] = id
          resultEntries[#resultEntries + 1] = ARGV[offset + 2]
        end
        acknowledged[index] = 'succeeded'
      else
        local record = readRecord(records[index])
        recordAttempt(id, record, 'failed', nowText, ARGV[offset + 2])
        record.lease = ''
        if ARGV[offset + 4] == '1' and record.attempts < record.maxAttempts then
          record.state = 'failed'
          retrying[#retrying + 1] = asText(now + tonumber(ARGV[offset + 3]))
          retrying[#retrying + 1] = id
          bump('failed', 1)
          acknowledged[index] = 'retrying'
        else
          finish(id, record, 'dead', nowText)
          acknowledged[index] = 'dead'
        end
        saveRecord(id, record)
      end
    end
  end
  if settled > 0 then
    flushRecords()
    inSlices('HSET', resultsKey, resultEntries)
    inSlices('ZADD', scheduledKey, retrying)
    dropLeaseShares()
    bump('active', -settled)
    bump('succeeded', succeeded)
    -- A capped queue wakes idle workers whenever slots free up.
    if concurrency and concurrency > 0 then
      wake()
    end
  end
  local announcing = 6 + outcomeCount * 6
  if ARGV[announcing] and settled > 0 then
    announceFinished(ARGV[announcing], ARGV[announcing + 1], tonumber(ARGV[announcing + 2]), announcing + 3, outcomeCount, acknowledged)
  end
end

-- 2. Claim.
local claimed = {}
local leaseUntil = now + leaseMs
local leaseUntilText = asText(leaseUntil)
local nextDue = -1
if wanted > 0 then
  recoverExpired(now, 100)
  promoteDue(now, math.max(wanted, 1000))
  local allowed = wanted
  if settings[1] == '1' then
    allowed = 0
  end
  if concurrency and concurrency > 0 then
    local active = (tonumber(redis.call('HGET', countsKey, 'active')) or 0) + (countChanges['active'] or 0)
    allowed = math.min(allowed, concurrency - active)
  end
  if rateMax and rateMax > 0 and allowed > 0 then
    local started = tonumber(redis.call('GET', rateKey)) or 0
    allowed = math.max(0, math.min(allowed, rateMax - started))
  end
  if allowed > 0 then
    local popped = redis.call('ZPOPMIN', pendingKey, allowed)
    local taken = #popped / 2
    if taken > 0 then
      local ids = {}
      for index = 1, taken do
        ids[index] = popped[index * 2 - 1]
      end
      local specs = readMany(specsKey, ids)
      local records = readMany(recordsKey, ids)
      local token = asText(redis.call('HINCRBY', sequenceKey, 'fence', 1))
      local tokenNumber = tonumber(token)
      for index, id in ipairs(ids) do
        local record, attempt, maxAttempts, priority = claimedRecord(records[index], token, nowText, workerId)
        recordWrites[#recordWrites + 1] = id
        recordWrites[#recordWrites + 1] = record
        local offset = (index - 1) * 6
        claimed[offset + 1] = id
        claimed[offset + 2] = specs[index]
        claimed[offset + 3] = priority
        claimed[offset + 4] = attempt
        claimed[offset + 5] = maxAttempts
        claimed[offset + 6] = tokenNumber
      end
      flushRecords()
      createLease(token, leaseUntilText, ids)
      bump('queued', -taken)
      bump('active', taken)
      if rateMax and rateMax > 0 then
        if redis.call('INCRBY', rateKey, taken) == taken then
          redis.call('PEXPIRE', rateKey, settings[4])
        end
      end
    end
  end
  if #claimed / 6 < wanted then
    local first = redis.call('ZRANGE', scheduledKey, 0, 0, 'WITHSCORES')
    if first[2] then
      nextDue = tonumber(first[2])
    end
    if rateMax and rateMax > 0 and redis.call('ZCARD', pendingKey) > 0 then
      local resetIn = redis.call('PTTL', rateKey)
      if resetIn > 0 and (nextDue == -1 or now + resetIn < nextDue) then
        nextDue = now + resetIn
      end
    end
  end
end

flushFinished()
writeCounts()
return {acknowledged, claimed, leaseUntil, nextDue}
