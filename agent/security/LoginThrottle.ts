export type LoginCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Slows down password guessing. Kept in Redis when the agent has it, so every agent of the
 * cluster counts the same failures (`RedisLoginThrottle`), and in memory in a lone agent without
 * Redis (`InMemoryLoginThrottle`); the rules are the same. Three counters of failed sign-ins,
 * each with some free attempts and then a wait that doubles with every further failure:
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
export interface LoginThrottle {
  /** Whether a sign-in attempt may go ahead now; if not, how long until it may (the longest of the three waits). */
  check(username: string, address: string): Promise<LoginCheck>;
  recordFailure(username: string, address: string): Promise<void>;
  /** Clears the address + username and the username counters. */
  recordSuccess(username: string, address: string): Promise<void>;
}

/** One counter's rule. */
export interface LoginRule {
  /** Failures that cost no wait. */
  free: number;
  /** The cap of the doubling wait. */
  maximumWaitMs: number;
}

export const loginRules = {
  pair: { free: 5, maximumWaitMs: 15 * 60_000 },
  address: { free: 20, maximumWaitMs: 15 * 60_000 },
  user: { free: 10, maximumWaitMs: 30_000 },
} satisfies Record<string, LoginRule>;

/** A counter is forgotten this long after its last failure. */
export const loginForgetAfterMs = 60 * 60_000;

/** The wait after failure number `failures` of a counter under `rule` (0 while free). */
export function loginWaitMs(failures: number, rule: LoginRule): number {
  const over = failures - rule.free;
  return over > 0 ? Math.floor(Math.min(1000 * 2 ** Math.min(over, 30), rule.maximumWaitMs)) : 0;
}

/**
 * The three counters of a sign-in, pair first, then username, then address. Usernames and
 * addresses come straight from requests: encoded so no character (a brace of a Cluster hash tag,
 * a colon) means anything in a name, and cut short so a huge name cannot make a huge key. Names
 * that long are no one's username, so sharing a counter costs nothing.
 */
export function loginCounters(username: string, address: string): { name: string; rule: LoginRule }[] {
  const user = part(username.toLowerCase());
  const from = part(address);
  return [
    { name: `pair:${from}:${user}`, rule: loginRules.pair },
    { name: `user:${user}`, rule: loginRules.user },
    { name: `address:${from}`, rule: loginRules.address },
  ];
}

function part(text: string): string {
  return encodeURIComponent(text.slice(0, 128));
}
