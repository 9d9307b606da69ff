"""The Lua scripts behind :mod:`~vicidial_async.transport.redis_coordination`.

Each script runs atomically inside Redis and reads the clock with ``TIME`` (the Redis server's
clock), so processes on hosts whose clocks disagree still share one schedule. Redis 5+ replicates
a script's effects rather than the script, which makes ``TIME`` before a write legal.

Keys of one VICIdial server share a hash tag (``{host:port:user}``), so they land in one slot of
a Redis Cluster and a script may touch several of them.
"""

from __future__ import annotations

__all__ = ["LEASE_ACQUIRE", "RATE_RESERVE", "RELEASE_IF_OWNER"]

# Both scripts that admit a call start here: an open breaker (KEYS[2]) answers {1, breaker} before
# anything is counted, then t is the Redis clock.
_BREAKER_THEN_TIME = """
local breaker = redis.call('GET', KEYS[2])
if breaker then
  return {1, breaker}
end
local t = redis.call('TIME')
"""

# GCRA with reservations. KEYS[1]: the theoretical arrival time (TAT, microseconds of Redis
# time); KEYS[2]: the authentication breaker. ARGV: interval (us per call), tolerance (burst x
# interval, us), n (calls to reserve at once: the calls one process queued since its last trip).
#
# Every reserved call gets the moment it may be sent, as a wait in microseconds from now; the
# reservation is made at once, so callers never poll and are served in order. Reserving slot k
# moves the TAT by one interval; slot k may go at TAT_k - tolerance. Over any window of t
# seconds that admits at most burst + rate x t calls, which is the guarantee of the local bucket.
# A caller cancelled while it waits leaves its slot unused: the server sees less, never more.
#
# Reply: {0, wait_1, ..., wait_n}, or {1, breaker} when the breaker is open (nothing reserved).
RATE_RESERVE = _BREAKER_THEN_TIME + """\
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then
  tat = now
end
local reply = {0}
for i = 1, n do
  tat = tat + interval
  local wait = tat - tolerance - now
  if wait < 0 then
    wait = 0
  end
  reply[i + 1] = wait
end
local ttl_ms = math.floor((tat - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', ttl_ms)
return reply
"""

# Leases for the in-flight cap. KEYS[1]: a sorted set of lease ids scored by expiry (ms of Redis
# time); KEYS[2]: the breaker. ARGV: lease id, lease ms, cap. Expired leases (a process that died
# holding them) are dropped first, so a killed process frees its share after at most one lease
# time. Reply: 1 granted, 0 the cap is reached, or {1, breaker} when the breaker is open.
LEASE_ACQUIRE = _BREAKER_THEN_TIME + """\
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl + 1000 then
  redis.call('PEXPIRE', KEYS[1], ttl + 1000)
end
return 1
"""

# Delete KEYS[1] only if it still holds ARGV[1] (the login flight of this holder, not a later
# holder's after ours expired).
RELEASE_IF_OWNER = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
