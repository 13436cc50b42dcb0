import type { Cluster, Redis } from 'ioredis';

export interface LoginThrottleOptions {
  redis: Redis | Cluster;
  /** Prefix of every key, the agent's Redis prefix (`sy`). */
  prefix: string;
}

export type LoginCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Slows down password guessing (in Redis, so every agent of the cluster counts the same
 * failures). Three counters of failed sign-ins, each with some free attempts and then a wait
 * that doubles with every further failure:
 *
 * | counter | free | wait after failure n | longest wait |
 * |---|---|---|---|
 * | address + username | 5 | 2^(n−5) s | 15 min |
 * | address | 20 | 2^(n−20) s | 15 min |
 * | username, any address | 10 | 2^(n−10) s | 30 s |
 *
 * The per-username wait is capped low on purpose: an attacker spraying guesses at one account
 * from many addresses slows down, but never locks its owner out for long (no global lockout).
 * A counter is forgotten an hour after its last failure; a successful sign-in clears the pair
 * and the username counters (not the address one, or one good account would reset an attacker's
 * address). Usernames are counted lower-cased.
 */
export class LoginThrottle {
  private readonly redis: Redis | Cluster;
  private readonly prefix: string;

  constructor({ redis, prefix }: LoginThrottleOptions) {
    this.redis = redis;
    this.prefix = prefix;
  }

  /** Whether a sign-in attempt may go ahead now; if not, how long until it may (the longest of the three waits). */
  async check(username: string, address: string): Promise<LoginCheck> {
    const waits = await Promise.all(this.counters(username, address).map(({ keys }) => this.redis.pttl(keys.wait)));
    const retryAfterMs = Math.max(0, ...waits);
    return retryAfterMs > 0 ? { allowed: false, retryAfterMs } : { allowed: true };
  }

  async recordFailure(username: string, address: string): Promise<void> {
    await Promise.all(
      this.counters(username, address).map(({ keys, rule }) =>
        this.redis.eval(recordFailureScript, 2, keys.failures, keys.wait, rule.free, rule.maximumWaitMs, forgetAfterMs),
      ),
    );
  }

  /** Clears the address + username and the username counters. */
  async recordSuccess(username: string, address: string): Promise<void> {
    const pairAndUser = this.counters(username, address).slice(0, 2);
    await Promise.all(pairAndUser.map(({ keys }) => this.redis.del(keys.failures, keys.wait)));
  }

  /** The three counters, pair first, then username, then address. The two keys of one counter share a hash tag (one Cluster slot). */
  private counters(username: string, address: string): { keys: { failures: string; wait: string }; rule: Rule }[] {
    const user = part(username.toLowerCase());
    const from = part(address);
    return [
      { name: `pair:${from}:${user}`, rule: rules.pair },
      { name: `user:${user}`, rule: rules.user },
      { name: `address:${from}`, rule: rules.address },
    ].map(({ name, rule }) => ({
      keys: { failures: `${this.prefix}:login:{${name}}:failures`, wait: `${this.prefix}:login:{${name}}:wait` },
      rule,
    }));
  }
}

interface Rule {
  /** Failures that cost no wait. */
  free: number;
  /** The cap of the doubling wait. */
  maximumWaitMs: number;
}

const rules = {
  pair: { free: 5, maximumWaitMs: 15 * 60_000 },
  address: { free: 20, maximumWaitMs: 15 * 60_000 },
  user: { free: 10, maximumWaitMs: 30_000 },
} satisfies Record<string, Rule>;

/** A counter is forgotten this long after its last failure. */
const forgetAfterMs = 60 * 60_000;

/**
 * Usernames and addresses come straight from requests: encoded so no character (a brace of a
 * Cluster hash tag, a colon) means anything in a key, and cut short so a huge name cannot make a
 * huge key. Names that long are no one's username, so sharing a counter costs nothing.
 */
function part(text: string): string {
  return encodeURIComponent(text.slice(0, 128));
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
