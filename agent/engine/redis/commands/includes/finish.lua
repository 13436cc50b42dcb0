-- Ends an attempt: appends it to the task's history (a comma-joined list of JSON objects).
local function recordAttempt(key, attempt, outcome, now, errorJson, workerId, startedAt)
  local entry = '{"attempt":' .. attempt .. ',"workerId":' .. cjson.encode(workerId or '') ..
    ',"startedAt":' .. (startedAt or 'null') .. ',"finishedAt":' .. now ..
    ',"outcome":"' .. outcome .. '","error":' .. (errorJson or 'null') .. '}'
  local history = redis.call('HGET', key, 'history')
  if history and history ~= '' then
    entry = history .. ',' .. entry
  end
  redis.call('HSET', key, 'history', entry)
end

-- Finished ids go to the archiver's sorted set in one write at the end (flushFinished).
local finishedEntries = {}

local function markFinished(id, now)
  finishedEntries[#finishedEntries + 1] = now
  finishedEntries[#finishedEntries + 1] = id
end

-- Moves a task into a finished state.
local function finish(id, key, state, now)
  redis.call('HSET', key, 'state', state, 'finishedAt', now)
  markFinished(id, now)
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
