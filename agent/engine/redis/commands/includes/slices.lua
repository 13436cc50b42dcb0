-- Commands over many members or fields are sent in slices, well below Lua's limit on unpacked
-- values (about 8 000).
local sliceSize = 4000

local function inSlices(command, key, values)
  for first = 1, #values, sliceSize do
    redis.call(command, key, unpack(values, first, math.min(first + sliceSize - 1, #values)))
  end
end

-- HMGET of many fields; answers the values in order.
local function readMany(key, ids)
  if #ids <= sliceSize then
    return redis.call('HMGET', key, unpack(ids))
  end
  local values = {}
  for first = 1, #ids, sliceSize do
    local slice = redis.call('HMGET', key, unpack(ids, first, math.min(first + sliceSize - 1, #ids)))
    for _, value in ipairs(slice) do
      values[#values + 1] = value
    end
  end
  return values
end
