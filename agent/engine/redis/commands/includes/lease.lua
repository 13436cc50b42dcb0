-- A claimed task's lease is a string key of its own, `<base>lease:<id>`, every part text:
-- "<fencing token>|<lease deadline>|<attempt start>|<attempt number>|<worker id>".
-- A task with a lease is active, whatever its record says (includes/records.lua).
-- Leases are keys rather than fields of one hash: a hash of a few hundred fields is kept as a
-- listpack, where every lookup is a linear scan (hash-max-listpack-entries is 512 by default),
-- and a batch of leases always is that size. Keys of the main dictionary stay O(1).

local function leaseKey(id)
  return base .. 'lease:' .. id
end

local function leaseValue(token, leaseUntil, startedAt, attempt, workerId)
  return token .. '|' .. leaseUntil .. '|' .. startedAt .. '|' .. attempt .. '|' .. workerId
end

-- Answers token (text), deadline (number), start (text), attempt (text) and worker, or nil.
local function parseLease(value)
  if not value then
    return nil
  end
  local token, leaseUntil, startedAt, attempt, workerId = string.match(value, '^(%d+)|(%d+)|(%d+)|(%d+)|(.*)$')
  return token, tonumber(leaseUntil), startedAt, attempt, workerId
end

local function leaseKeys(ids)
  local keys = {}
  for index, id in ipairs(ids) do
    keys[index] = leaseKey(id)
  end
  return keys
end

-- The leases of the given ids, in order (false where there is none).
local function readLeases(ids)
  local keys = leaseKeys(ids)
  if #keys <= sliceSize then
    return #keys > 0 and redis.call('MGET', unpack(keys)) or {}
  end
  local values = {}
  for first = 1, #keys, sliceSize do
    for _, value in ipairs(redis.call('MGET', unpack(keys, first, math.min(first + sliceSize - 1, #keys)))) do
      values[#values + 1] = value
    end
  end
  return values
end

-- Writes leases from {id, value, id, value, …}.
local function writeLeases(entries)
  local keyValues = {}
  for index = 1, #entries, 2 do
    keyValues[index] = leaseKey(entries[index])
    keyValues[index + 1] = entries[index + 1]
  end
  for first = 1, #keyValues, sliceSize do
    redis.call('MSET', unpack(keyValues, first, math.min(first + sliceSize - 1, #keyValues)))
  end
end

-- Drops the leases (and active entries) of the given ids.
local function dropLeases(ids)
  local keys = leaseKeys(ids)
  for first = 1, #keys, sliceSize do
    redis.call('DEL', unpack(keys, first, math.min(first + sliceSize - 1, #keys)))
  end
  inSlices('ZREM', activeKey, ids)
end
