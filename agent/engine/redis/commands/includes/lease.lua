-- A claimed task's lease is one field of the leases hash:
-- "<fencing token>|<lease deadline>|<attempt start>|<worker id>", every part text.

local function leaseValue(token, leaseUntil, startedAt, workerId)
  return token .. '|' .. leaseUntil .. '|' .. startedAt .. '|' .. workerId
end

-- Answers token (text), deadline (number), start (text) and worker, or nil when there is none.
local function parseLease(value)
  if not value then
    return nil
  end
  local token, leaseUntil, startedAt, workerId = string.match(value, '^(%d+)|(%d+)|(%d+)|(.*)$')
  return token, tonumber(leaseUntil), startedAt, workerId
end

-- Drops the leases (and active entries) of the given ids.
local function dropLeases(ids)
  inSlices('HDEL', leasesKey, ids)
  inSlices('ZREM', activeKey, ids)
end
