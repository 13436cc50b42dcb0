-- Redis' own clock, so every agent and worker agrees on lease deadlines and run-at times.
local function nowMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
