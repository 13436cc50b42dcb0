-- A claimed task's lease is one field of the queue's leases hash:
-- "<fencing token>|<lease deadline>|<attempt start>|<worker id>".
-- Acknowledgements, extensions and releases read all their leases in one HMGET.

-- Every part is text already (see asText in includes/clock.lua).
local function leaseValue(token, leaseUntil, startedAt, workerId)
  return token .. '|' .. leaseUntil .. '|' .. startedAt .. '|' .. workerId
end

-- Answers token (text), deadline (number), start (text) and worker of a lease value, or nil
-- when there is none.
local function parseLease(value)
  if not value then
    return nil
  end
  local token, leaseUntil, startedAt, workerId = string.match(value, '^(%d+)|(%d+)|(%d+)|(.*)$')
  return token, tonumber(leaseUntil), startedAt, workerId
end

-- Reads the leases of ARGV[first], ARGV[first + step], … in one call.
local function readLeases(first, step)
  local ids = {}
  for index = first, #ARGV, step do
    ids[#ids + 1] = ARGV[index]
  end
  if #ids == 0 then
    return ids, {}
  end
  return ids, redis.call('HMGET', leasesKey, unpack(ids))
end

-- Drops the leases (and active entries) of the given ids, in slices.
local function dropLeases(ids)
  for first = 1, #ids, 4000 do
    local last = math.min(first + 3999, #ids)
    redis.call('HDEL', leasesKey, unpack(ids, first, last))
    redis.call('ZREM', activeKey, unpack(ids, first, last))
  end
end
