-- A task's record: its small changing fields as one text, in the records hash.
-- "<state>|<attempts>|<max attempts>|<priority>|<created at>|<run at>|<started at>|<finished at>|<lease>|<worker id>"
-- Times are epoch ms as text; run at (the first due time), started at, finished at, lease (the
-- fencing token of the claim holding an active task) and worker may be empty. The worker id
-- comes last: it is the one part that may hold a `|`.

-- The record of a task just claimed, from its record while queued: one short match, no table.
-- Answers the new record and, as text, the attempt, max attempts and priority.
local function claimedRecord(text, token, nowText, workerId)
  local attempts, fixed, maxAttempts, priority = string.match(text, '^%a+|(%d+)|((%d+)|(%d)|[^|]*|[^|]*)|')
  local attempt = attempts == '0' and '1' or asText(tonumber(attempts) + 1)
  return 'active|' .. attempt .. '|' .. fixed .. '|' .. nowText .. '||' .. token .. '|' .. workerId, attempt, maxAttempts, priority
end

-- The state, attempt and lease of a record, as text: what an acknowledgement checks.
local function leaseOfRecord(text)
  return string.match(text, '^(%a+)|(%d+)|[^|]*|[^|]*|[^|]*|[^|]*|[^|]*|[^|]*|(%d*)|')
end

-- The record of a task that succeeded with the attempt that held it.
local function succeededRecord(text, nowText)
  local head, started, worker = string.match(text, '^%a+(|%d+|[^|]*|[^|]*|[^|]*|[^|]*)|([^|]*)|[^|]*|[^|]*|(.*)$')
  return 'succeeded' .. head .. '|' .. started .. '|' .. nowText .. '||' .. worker
end

-- The whole record as a table, for the paths that are not hot.
local function readRecord(text)
  if not text then
    return nil
  end
  local state, attempts, maxAttempts, priority, createdAt, runAt, startedAt, finishedAt, lease, workerId =
    string.match(text, '^(%a+)|(%d+)|(%d+)|(%d)|(%d+)|(%d*)|(%d*)|(%d*)|(%d*)|(.*)$')
  return {
    state = state, attempts = tonumber(attempts), maxAttempts = tonumber(maxAttempts),
    priority = tonumber(priority), createdAt = createdAt, runAt = runAt, startedAt = startedAt,
    finishedAt = finishedAt, lease = lease, workerId = workerId,
  }
end

local function recordText(record)
  return record.state .. '|' .. asText(record.attempts) .. '|' .. asText(record.maxAttempts) .. '|' ..
    asText(record.priority) .. '|' .. record.createdAt .. '|' .. record.runAt .. '|' .. record.startedAt ..
    '|' .. record.finishedAt .. '|' .. record.lease .. '|' .. record.workerId
end

-- Changed records are written together by flushRecords.
local recordWrites = {}

local function saveRecord(id, record)
  recordWrites[#recordWrites + 1] = id
  recordWrites[#recordWrites + 1] = recordText(record)
end

local function flushRecords()
  if #recordWrites > 0 then
    inSlices('HSET', recordsKey, recordWrites)
    recordWrites = {}
  end
end
