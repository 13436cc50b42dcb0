-- The keys of one queue, in the order every state-changing command receives them.
-- All share the hash tag {q:<name>}, so they live in one Redis Cluster slot.
local metaKey = KEYS[1]       -- hash: definition and settings (paused, concurrency, rate limit, window)
local pendingKey = KEYS[2]    -- sorted set: queued task ids, scored by priority then arrival
local scheduledKey = KEYS[3]  -- sorted set: scheduled and backing-off task ids, scored by run-at
local activeKey = KEYS[4]     -- sorted set: claimed task ids, scored by lease deadline
local finishedKey = KEYS[5]   -- sorted set: finished ids not yet archived, scored by finishing order
local countsKey = KEYS[6]     -- hash: task count per state
local sequenceKey = KEYS[7]   -- hash: counters `order` (arrival), `fence` (fencing tokens), `finished`
local rateKey = KEYS[8]       -- string: tasks started in the current rate-limit window
local leasesKey = KEYS[9]     -- hash: claimed task id → its lease (see includes/lease.lua)
local base = ARGV[1]          -- prefix of the queue's other keys: task hashes, idempotency keys, channel

local function taskKey(id)
  return base .. 't:' .. id
end
