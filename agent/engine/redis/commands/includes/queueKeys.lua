-- The keys of one queue, in the order every state-changing command receives them.
-- All share the hash tag {q:<name>}, so they live in one Redis Cluster slot.
-- Task data is kept by column — one hash per attribute, keyed by task id — so a command reads
-- and writes a whole batch of tasks in a handful of calls.
local metaKey = KEYS[1]        -- hash: definition and settings (paused, concurrency, rate limit, window)
local pendingKey = KEYS[2]     -- sorted set: queued task ids, scored by priority then arrival
local scheduledKey = KEYS[3]   -- sorted set: scheduled and backing-off task ids, scored by run-at
local activeKey = KEYS[4]      -- sorted set: leases (fencing tokens of claimed batches), scored by deadline
local finishedKey = KEYS[5]    -- list: finished ids not yet archived, in finishing order
local countsKey = KEYS[6]      -- hash: task count per state
local sequenceKey = KEYS[7]    -- hash: counters `order` (arrival) and `fence` (fencing tokens)
local rateKey = KEYS[8]        -- string: tasks started in the current rate-limit window
local leasesKey = KEYS[9]      -- hash: token → lease deadline, token:left → its tasks still active (includes/lease.lua)
local specsKey = KEYS[10]      -- hash: id → spec JSON (type, payload, rarely read options); never changes
local recordsKey = KEYS[11]    -- hash: id → record, the task's small changing fields (includes/records.lua)
local resultsKey = KEYS[12]    -- hash: id → result JSON of a succeeded task (absent when null)
local errorsKey = KEYS[13]     -- hash: id → error JSON of the last failed attempt
local historiesKey = KEYS[14]  -- hash: id → ended attempts but successes, comma-joined JSON objects
local base = ARGV[1]           -- prefix of the queue's other keys: lease members, idempotency keys, wake channel
