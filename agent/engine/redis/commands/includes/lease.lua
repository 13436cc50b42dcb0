-- A lease covers one claimed batch and is named by its fencing token. The leases hash holds, per
-- token, its deadline (`<token>`) and how many of its tasks are still active (`<token>:left`);
-- the active sorted set orders tokens by deadline; the list `<base>lease:<token>` names its tasks.
-- Each active task's record carries its token. So a claim or an acknowledgement touches a lease
-- a few times per batch, not per task; the lease goes when its last task ends (dropLeaseShares),
-- or is recovered when its deadline passes (includes/recoverExpired.lua).

local function leaseListKey(token)
  return base .. 'lease:' .. token
end

local function createLease(token, deadlineText, ids)
  redis.call('HSET', leasesKey, token, deadlineText, token .. ':left', #ids)
  redis.call('ZADD', activeKey, deadlineText, token)
  inSlices('RPUSH', leaseListKey(token), ids)
end

local function deleteLease(token)
  redis.call('HDEL', leasesKey, token, token .. ':left')
  redis.call('ZREM', activeKey, token)
  redis.call('DEL', leaseListKey(token))
end

-- Deadlines of the given tokens, as numbers (nil where the lease is gone), cached per command.
local deadlines = {}

local function leaseDeadline(token)
  local deadline = deadlines[token]
  if deadline == nil then
    deadline = tonumber(redis.call('HGET', leasesKey, token)) or false
    deadlines[token] = deadline
  end
  return deadline or nil
end

-- Whether a task's record (text, or nil) still names the lease `token`, and that lease runs
-- until `now` at least: the check every acknowledgement, extension and release passes first.
local function holdsLease(text, token, now)
  if not text then
    return false
  end
  local state, _, lease = leaseOfRecord(text)
  local deadline = state == 'active' and lease == token and leaseDeadline(token)
  return deadline ~= nil and deadline ~= false and deadline >= now
end

-- The ids and tokens given as pairs from ARGV[first] on.
local function leaseRefs(first)
  local ids, tokens = {}, {}
  for index = first, #ARGV, 2 do
    ids[#ids + 1] = ARGV[index]
    tokens[#tokens + 1] = ARGV[index + 1]
  end
  return ids, tokens
end

-- Tasks whose attempt ended, counted per token, are taken off their leases at the end
-- (dropLeaseShares); a lease with no task left is deleted.
local endedShares = {}

local function endShare(token)
  endedShares[token] = (endedShares[token] or 0) + 1
end

local function dropLeaseShares()
  for token, ended in pairs(endedShares) do
    if redis.call('HINCRBY', leasesKey, token .. ':left', -ended) <= 0 then
      deleteLease(token)
    end
  end
  endedShares = {}
end
