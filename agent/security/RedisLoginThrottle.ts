import type { Cluster, Redis } from 'ioredis';
import { loginCounters, loginForgetAfterMs, type LoginCheck, type LoginRule, type LoginThrottle } from './LoginThrottle.js';

export interface RedisLoginThrottleOptions {
  redis: Redis | Cluster;
  /** Prefix of every key, the agent's Redis prefix (`sy`). */
  prefix: string;
}

/**
 * The login throttle in Redis (rules in LoginThrottle.ts), shared by every agent of the cluster.
 * Each counter is two keys sharing a hash tag (one Cluster slot): the failure count, and a wait
 * marker whose TTL is the wait.
 */
export class RedisLoginThrottle implements LoginThrottle {
  private readonly redis: Redis | Cluster;
  private readonly prefix: string;

  constructor({ redis, prefix }: RedisLoginThrottleOptions) {
    this.redis = redis;
    this.prefix = prefix;
  }

  async check(username: string, address: string): Promise<LoginCheck> {
    const waits = await Promise.all(this.counters(username, address).map(({ keys }) => this.redis.pttl(keys.wait)));
    const retryAfterMs = Math.max(0, ...waits);
    return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
  }

  async recordFailure(username: string, address: string): Promise<void> {
    await Promise.all(
      this.counters(username, address).map(({ keys, rule }) =>
        this.redis.eval(recordFailureScript, 2, keys.failures, keys.wait, rule.free, rule.maximumWaitMs, loginForgetAfterMs),
      ),
    );
  }

  async recordSuccess(username: string, address: string): Promise<void> {
    const pairAndUser = this.counters(username, address).slice(0, 2);
    await Promise.all(pairAndUser.map(({ keys }) => this.redis.del(keys.failures, keys.wait)));
  }

  private counters(username: string, address: string): { keys: { failures: string; wait: string }; rule: LoginRule }[] {
    return loginCounters(username, address).map(({ name, rule }) => ({
      keys: { failures: `${this.prefix}:login:{${name}}:failures`, wait: `${this.prefix}:login:{${name}}:wait` },
      rule,
    }));
  }
}

/**
 * Counts one failure and sets the wait that follows it.
 * KEYS[1] the failure counter, KEYS[2] the wait marker (its TTL is the wait).
 * ARGV[1] free failures, ARGV[2] longest wait in ms, ARGV[3] ms to keep the counter after this failure.
 * Returns the failure count.
 */
const recordFailureScript = `
local failures = redis.call('incr', KEYS[1])
redis.call('pexpire', KEYS[1], ARGV[3])
local over = failures - tonumber(ARGV[1])
if over > 0 then
  local wait = math.min(1000 * 2 ^ math.min(over, 30), tonumber(ARGV[2]))
  redis.call('set', KEYS[2], failures, 'px', math.floor(wait))
end
return failures`;
