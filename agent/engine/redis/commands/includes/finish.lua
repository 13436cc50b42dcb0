-- Ends an attempt: appends it to the task's history (a comma-joined list of JSON objects).
-- `nowText` and `startedAt` are text.
local function recordAttempt(key, attempt, outcome, nowText, errorJson, workerId, startedAt)
  local entry = '{"attempt":' .. asText(attempt) .. ',"workerId":' .. cjson.encode(workerId or '') ..
    ',"startedAt":' .. (startedAt or 'null') .. ',"finishedAt":' .. nowText ..
    ',"outcome":"' .. outcome .. '","error":' .. (errorJson or 'null') .. '}'
  local history = redis.call('HGET', key, 'history')
  if history and history ~= '' then
    entry = history .. ',' .. entry
  end
  redis.call('HSET', key, 'history', entry)
end

-- Finished ids go to the archiver's sorted set in one write at the end (flushFinished), scored
-- by finishing order, so the archiver takes them oldest first.
local finishedIds = {}

local function markFinished(id)
  finishedIds[#finishedIds + 1] = id
end

-- Moves a task into a finished state.
local function finish(id, key, state, nowText)
  redis.call('HSET', key, 'state', state, 'finishedAt', nowText)
  markFinished(id)
  bump(state, 1)
end

-- Sorted-set members are added in slices, well below Lua's limit on unpacked values.
local function addInSlices(key, entries)
  for first = 1, #entries, 4000 do
    redis.call('ZADD', key, unpack(entries, first, math.min(first + 3999, #entries)))
  end
end

local function flushFinished()
  if #finishedIds == 0 then
    return
  end
  local order = redis.call('HINCRBY', sequenceKey, 'finished', #finishedIds) - #finishedIds
  local entries = {}
  for index, id in ipairs(finishedIds) do
    entries[#entries + 1] = asText(order + index)
    entries[#entries + 1] = id
  end
  addInSlices(finishedKey, entries)
end
