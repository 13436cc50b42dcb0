-- A task's record: its small changing fields as one text, in the records hash.
-- "<state>|<attempts>|<max attempts>|<priority>|<created at>|<run at>|<started at>|<finished at>|<worker id>"
-- Times are epoch ms as text; run at (the first due time), started at, finished at and worker may
-- be empty. While a task is claimed its record is left as it was (state `queued`, attempts
-- ended so far): the lease says it is active and which attempt runs (includes/lease.lua). So a
-- claim writes no record, and the hot path reads records with one short match instead of
-- parsing them whole.

-- The fields a claim needs, as text: attempts ended, max attempts, priority.
local function claimFields(text)
  return string.match(text, '^%a+|(%d+)|(%d+)|(%d)|')
end

-- The record of a task that finished with the attempt its lease held.
local function finishedRecord(state, attempt, text, startedAt, nowText, workerId)
  local fixed = string.match(text, '^%a+|%d+|([^|]*|[^|]*|[^|]*|[^|]*)|')
  return state .. '|' .. attempt .. '|' .. fixed .. '|' .. startedAt .. '|' .. nowText .. '|' .. workerId
end

-- The whole record as a table, for the paths that are not hot.
local function readRecord(text)
  if not text then
    return nil
  end
  local state, attempts, maxAttempts, priority, createdAt, runAt, startedAt, finishedAt, workerId =
    string.match(text, '^(%a+)|(%d+)|(%d+)|(%d)|(%d+)|(%d*)|(%d*)|(%d*)|(.*)$')
  return {
    state = state, attempts = tonumber(attempts), maxAttempts = tonumber(maxAttempts),
    priority = tonumber(priority), createdAt = createdAt, runAt = runAt, startedAt = startedAt,
    finishedAt = finishedAt, workerId = workerId,
  }
end

local function recordText(record)
  return record.state .. '|' .. asText(record.attempts) .. '|' .. asText(record.maxAttempts) .. '|' ..
    asText(record.priority) .. '|' .. record.createdAt .. '|' .. record.runAt .. '|' .. record.startedAt ..
    '|' .. record.finishedAt .. '|' .. record.workerId
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
