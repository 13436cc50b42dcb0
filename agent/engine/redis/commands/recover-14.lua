--[[
  Recovers tasks whose lease ran out (also done by every claim; the leader runs this for queues
  no worker is claiming from, so their counts stay true).

  KEYS: see includes/queueKeys.lua
  ARGV: 1 key base, 2 most tasks to recover
  Returns: how many were recovered
]]
--@include queueKeys
--@include clock
--@include slices
--@include counts
--@include records
--@include pending
--@include lease
--@include finish
--@include recoverExpired

local recovered = recoverExpired(nowMs(), tonumber(ARGV[2]))
flushFinished()
writeCounts()
return recovered
