-- Count changes are gathered while a command runs and written once at its end.
local countChanges = {}

local function bump(state, delta)
  countChanges[state] = (countChanges[state] or 0) + delta
end

local function writeCounts()
  for state, delta in pairs(countChanges) do
    if delta ~= 0 then
      redis.call('HINCRBY', countsKey, state, delta)
    end
  end
end
