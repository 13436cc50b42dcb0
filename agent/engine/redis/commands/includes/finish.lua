-- Ends an attempt: appends it to the task's history (a comma-joined list of JSON objects).
local function recordAttempt(key, attempt, outcome, now, errorJson)
  local fields = redis.call('HMGET', key, 'workerId', 'startedAt', 'history')
  local entry = '{"attempt":' .. attempt .. ',"workerId":' .. cjson.encode(fields[1] or '') ..
    ',"startedAt":' .. (fields[2] or 'null') .. ',"finishedAt":' .. now ..
    ',"outcome":"' .. outcome .. '","error":' .. (errorJson or 'null') .. '}'
  local history = fields[3]
  if history and history ~= '' then
    entry = history .. ',' .. entry
  end
  redis.call('HSET', key, 'history', entry)
end

-- Moves a task into a finished state and the archiver's list (written by flushFinished).
local finishedEntries = {}

local function finish(id, key, state, now)
  redis.call('HSET', key, 'state', state, 'finishedAt', now)
  finishedEntries[#finishedEntries + 1] = now
  finishedEntries[#finishedEntries + 1] = id
  bump(state, 1)
end

-- Sorted-set members are added in slices, well below Lua's limit on unpacked values.
local function addInSlices(key, entries)
  for first = 1, #entries, 4000 do
    redis.call('ZADD', key, unpack(entries, first, math.min(first + 3999, #entries)))
  end
end

local function flushFinished()
  addInSlices(finishedKey, finishedEntries)
end
