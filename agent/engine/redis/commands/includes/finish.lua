-- Ends an attempt that did not succeed: appends it to the task's history and keeps its error.
local function recordAttempt(id, record, outcome, nowText, errorJson)
  local entry = '{"attempt":' .. asText(record.attempts) .. ',"workerId":' .. cjson.encode(record.workerId) ..
    ',"startedAt":' .. (record.startedAt ~= '' and record.startedAt or 'null') .. ',"finishedAt":' .. nowText ..
    ',"outcome":"' .. outcome .. '","error":' .. (errorJson or 'null') .. '}'
  local history = redis.call('HGET', historiesKey, id)
  if history then
    entry = history .. ',' .. entry
  end
  redis.call('HSET', historiesKey, id, entry)
  if errorJson then
    redis.call('HSET', errorsKey, id, errorJson)
  end
end

-- Finished ids go to the end of the archiver's list in one write (flushFinished), so the
-- archiver takes them oldest first.
local finishedIds = {}

-- Moves a task into a finished state (the caller saves the record).
local function finish(id, record, state, nowText)
  record.state = state
  record.finishedAt = nowText
  finishedIds[#finishedIds + 1] = id
  bump(state, 1)
end

local function flushFinished()
  inSlices('RPUSH', finishedKey, finishedIds)
  finishedIds = {}
end
