-- Whole numbers as text. Numbers handed to redis.call or joined with `..` are otherwise
-- formatted as doubles (printf %.17g), which showed as a sixth of the engine's time in profiles.
local function asText(number)
  return string.format('%d', number)
end

-- Redis' own clock, so every agent and worker agrees on lease deadlines and run-at times.
local function nowMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
