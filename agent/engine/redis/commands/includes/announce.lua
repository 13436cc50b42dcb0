-- Announces tasks of the workflow engine (agent/engine/finishedTasks.ts): one PUBLISH of
-- `{"queue":…,"tasks":[[id, key, state, {"r": result} | {"e": error} | null, attempt], …]}` for
-- the announced outcomes (ARGV from `first`: position, key, attempt, …) that finished (succeeded,
-- dead) or failed an attempt to be retried (retrying). An outcome longer than
-- `largestAnnouncedOutcome` is left out (the listener reads the task).
local largestAnnouncedOutcome = 4000

local function announceFinished(channel, queue, count, first, outcomeCount, acknowledged)
  local entries = {}
  for at = 0, count - 1 do
    local index = tonumber(ARGV[first + at * 3])
    local state = acknowledged[index]
    if state == 'succeeded' or state == 'dead' or state == 'retrying' then
      local value = ARGV[6 + outcomeCount + (index - 1) * 5 + 2]
      local outcome = 'null'
      if string.len(value) <= largestAnnouncedOutcome then
        outcome = (state == 'succeeded' and '{"r":' or '{"e":') .. value .. '}'
      end
      local attempt = tonumber(ARGV[first + at * 3 + 2])
      entries[#entries + 1] = '[' .. cjson.encode(ARGV[5 + index]) .. ',' .. cjson.encode(ARGV[first + at * 3 + 1]) .. ',"' .. state .. '",' .. outcome .. ',' .. string.format('%d', attempt) .. ']'
    end
  end
  if #entries > 0 then
    redis.call('PUBLISH', channel, '{"queue":' .. cjson.encode(queue) .. ',"tasks":[' .. table.concat(entries, ',') .. ']}')
  end
end
