--[[
  The worker's hot path: records the outcomes of finished attempts, then claims the next batch
  under a lease. Either part may be empty. Before claiming it recovers expired leases and
  promotes due scheduled tasks, so a queue needs no background sweeper to make progress.

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 worker id, 3 most tasks to claim (0 = settle only), 4 lease (ms),
        5 number of outcomes, then six values per outcome:
        id, fencing token, status ('succeeded' | 'failed'), result or error JSON,
        retry delay (ms), retryable (1/0)
  Returns: {acknowledged, claimed, lease deadline, next due (−1 = none)}
           acknowledged: one of 'succeeded' | 'retrying' | 'dead' | 'stale' per outcome
           claimed: {id, spec, priority, attempt, max attempts, token, …} (six values per task)
]]
--@include queueKeys
--@include clock
--@include counts
--@include pending
--@include finish
--@include recoverExpired
--@include promoteDue

local now = nowMs()
local workerId = ARGV[2]
local wanted = tonumber(ARGV[3])
local leaseMs = tonumber(ARGV[4])
local outcomeCount = tonumber(ARGV[5])
local settings = redis.call('HMGET', metaKey, 'paused', 'concurrency', 'rateMax', 'rateIntervalMs')
local concurrency = tonumber(settings[2])
local rateMax = tonumber(settings[3])

-- 1. Outcomes: applied only while the lease they name is current.
local acknowledged = {}
local settled = {}
local succeeded = 0
for index = 0, outcomeCount - 1 do
  local offset = 6 + index * 6
  local id = ARGV[offset]
  local key = taskKey(id)
  local fields = redis.call('HMGET', key, 'state', 'token', 'leaseUntil', 'attempts', 'maxAttempts')
  if fields[1] ~= 'active' or fields[2] ~= ARGV[offset + 1] or tonumber(fields[3]) < now then
    acknowledged[#acknowledged + 1] = 'stale'
  else
    settled[#settled + 1] = id
    if ARGV[offset + 2] == 'succeeded' then
      if ARGV[offset + 3] == 'null' then
        redis.call('HSET', key, 'state', 'succeeded', 'finishedAt', now)
      else
        redis.call('HSET', key, 'state', 'succeeded', 'finishedAt', now, 'result', ARGV[offset + 3])
      end
      finishedEntries[#finishedEntries + 1] = now
      finishedEntries[#finishedEntries + 1] = id
      succeeded = succeeded + 1
      acknowledged[#acknowledged + 1] = 'succeeded'
    else
      local attempts = tonumber(fields[4])
      recordAttempt(key, attempts, 'failed', now, ARGV[offset + 3])
      redis.call('HSET', key, 'error', ARGV[offset + 3])
      if ARGV[offset + 5] == '1' and attempts < tonumber(fields[5]) then
        local runAt = now + tonumber(ARGV[offset + 4])
        redis.call('HSET', key, 'state', 'failed', 'runAt', runAt)
        redis.call('ZADD', scheduledKey, runAt, id)
        bump('failed', 1)
        acknowledged[#acknowledged + 1] = 'retrying'
      else
        finish(id, key, 'dead', now)
        acknowledged[#acknowledged + 1] = 'dead'
      end
    end
  end
end
if #settled > 0 then
  for first = 1, #settled, 4000 do
    redis.call('ZREM', activeKey, unpack(settled, first, math.min(first + 3999, #settled)))
  end
  bump('active', -#settled)
  bump('succeeded', succeeded)
  -- A capped queue wakes idle workers whenever slots free up.
  if concurrency and concurrency > 0 then
    wake()
  end
end

-- 2. Claim.
local claimed = {}
local leaseUntil = now + leaseMs
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
      local firstToken = redis.call('HINCRBY', sequenceKey, 'fence', taken) - taken
      local activeEntries = {}
      for index = 1, taken do
        local id = popped[index * 2 - 1]
        local key = taskKey(id)
        local token = firstToken + index
        local fields = redis.call('HMGET', key, 'spec', 'priority', 'maxAttempts', 'attempts')
        local attempt = tonumber(fields[4]) + 1
        redis.call('HSET', key, 'state', 'active', 'attempts', attempt, 'token', token,
          'leaseUntil', leaseUntil, 'startedAt', now, 'workerId', workerId)
        activeEntries[#activeEntries + 1] = leaseUntil
        activeEntries[#activeEntries + 1] = id
        claimed[#claimed + 1] = id
        claimed[#claimed + 1] = fields[1]
        claimed[#claimed + 1] = fields[2]
        claimed[#claimed + 1] = attempt
        claimed[#claimed + 1] = fields[3]
        claimed[#claimed + 1] = token
      end
      addInSlices(activeKey, activeEntries)
      bump('queued', -taken)
      bump('active', taken)
      if rateMax and rateMax > 0 then
        if redis.call('INCRBY', rateKey, taken) == taken then
          redis.call('PEXPIRE', rateKey, tonumber(settings[4]))
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
