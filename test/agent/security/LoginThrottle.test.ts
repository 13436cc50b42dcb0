import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryLoginThrottle } from '../../../agent/security/InMemoryLoginThrottle.js';
import type { LoginThrottle } from '../../../agent/security/LoginThrottle.js';
import { RedisLoginThrottle } from '../../../agent/security/RedisLoginThrottle.js';
import { isolatedRedis } from '../../helpers/redis.js';

let redis: Redis;
let prefix: string;
let cleanup: () => Promise<void>;
let throttle: LoginThrottle;

beforeAll(async () => {
  ({ redis, prefix, cleanup } = await isolatedRedis());
});

afterAll(async () => {
  await cleanup?.();
});

async function fail(times: number, username: string, address: string): Promise<void> {
  for (let index = 0; index < times; index++) await throttle.recordFailure(username, address);
}

/** The wait now in force, in ms (0 when allowed). */
async function waitOf(username: string, address: string): Promise<number> {
  const check = await throttle.check(username, address);
  return check.allowed ? 0 : check.retryAfterMs;
}

/** The same rules, whichever implementation keeps the counters. */
describe.each([
  ['RedisLoginThrottle', (): LoginThrottle => new RedisLoginThrottle({ redis, prefix })],
  ['InMemoryLoginThrottle', (): LoginThrottle => new InMemoryLoginThrottle()],
])('%s', (_name, make) => {
  beforeAll(() => {
    throttle = make();
  });

  it('allows 5 failures of one address and username, then waits 2, 4, 8 s…', async () => {
    await fail(5, 'alice', '198.51.100.1');
    expect(await throttle.check('alice', '198.51.100.1')).toEqual({ allowed: true });

    await fail(1, 'alice', '198.51.100.1');
    const first = await waitOf('alice', '198.51.100.1');
    expect(first).toBeGreaterThan(1_000);
    expect(first).toBeLessThanOrEqual(2_000);

    await fail(1, 'alice', '198.51.100.1');
    const second = await waitOf('alice', '198.51.100.1');
    expect(second).toBeGreaterThan(3_000);
    expect(second).toBeLessThanOrEqual(4_000);

    await fail(1, 'ALICE', '198.51.100.1');
    expect(await waitOf('Alice', '198.51.100.1')).toBeGreaterThan(7_000);
  });

  it('caps the pair wait at 15 minutes', async () => {
    await fail(30, 'bob', '198.51.100.2');
    const wait = await waitOf('bob', '198.51.100.2');
    expect(wait).toBeGreaterThan(14 * 60_000);
    expect(wait).toBeLessThanOrEqual(15 * 60_000);
  });

  it('a success clears the pair and the username, not the address', async () => {
    await fail(7, 'carol', '198.51.100.3');
    await fail(14, 'mallory-target', '198.51.100.3'); // 21 failures from the address
    expect(await waitOf('carol', '198.51.100.3')).toBeGreaterThan(0);

    await throttle.recordSuccess('carol', '198.51.100.3');

    // The address alone is over its 20 free failures, so carol still waits from that address…
    const wait = await waitOf('carol', '198.51.100.3');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(2_000);
    // …but her own counters are gone: from another address she is not held back at all.
    expect(await throttle.check('carol', '203.0.113.9')).toEqual({ allowed: true });
  });

  it('slows an address that sprays many usernames after 20 free failures', async () => {
    for (let index = 0; index < 20; index++) await throttle.recordFailure(`spray${index}`, '198.51.100.4');
    expect(await throttle.check('someone', '198.51.100.4')).toEqual({ allowed: true });

    await throttle.recordFailure('spray-last', '198.51.100.4');
    const wait = await waitOf('someone-else', '198.51.100.4');
    expect(wait).toBeGreaterThan(1_000);
    expect(wait).toBeLessThanOrEqual(2_000);
    expect(await throttle.check('someone-else', '203.0.113.10')).toEqual({ allowed: true });
  });

  it('slows one account attacked from many addresses, but by at most 30 s', async () => {
    for (let index = 0; index < 40; index++) await throttle.recordFailure('dave', `10.0.${Math.floor(index / 4)}.${index}`);

    const wait = await waitOf('dave', '203.0.113.11');
    expect(wait).toBeGreaterThan(29_000);
    expect(wait).toBeLessThanOrEqual(30_000);
    expect(await throttle.check('erin', '203.0.113.11')).toEqual({ allowed: true });
  });
});

describe('RedisLoginThrottle keys', () => {
  beforeAll(() => {
    throttle = new RedisLoginThrottle({ redis, prefix });
  });

  it('forgets a counter an hour after its last failure', async () => {
    await fail(30, 'bob-keys', '198.51.100.20');
    const ttl = await redis.pttl(`${prefix}:login:{pair:198.51.100.20:bob-keys}:failures`);
    expect(ttl).toBeGreaterThan(59 * 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * 60_000);
  });

  it('deletes the pair and username keys on success', async () => {
    await fail(7, 'carol-keys', '198.51.100.30');
    await throttle.recordSuccess('carol-keys', '198.51.100.30');
    expect(await redis.exists(`${prefix}:login:{pair:198.51.100.30:carol-keys}:failures`, `${prefix}:login:{user:carol-keys}:failures`)).toBe(0);
  });

  it('keeps odd usernames and addresses inside their own keys', async () => {
    const odd = '{weird}:name with spaces' + 'x'.repeat(500);
    await fail(6, odd, '::1');
    expect(await waitOf(odd.toUpperCase(), '::1')).toBeGreaterThan(0);
    const keys = await redis.keys(`${prefix}:login:*`);
    expect(keys.every((key) => key.length < 400)).toBe(true);
    expect(keys.some((key) => key.includes('%7Bweird%7D'))).toBe(true);
  });
});

describe('InMemoryLoginThrottle forgetting', () => {
  it('forgets a counter an hour after its last failure', async () => {
    let now = 1_000_000;
    const memory = new InMemoryLoginThrottle({ now: () => now });
    for (let index = 0; index < 6; index++) await memory.recordFailure('frank', '198.51.100.40');
    expect((await memory.check('frank', '198.51.100.40')).allowed).toBe(false);
    now += 59 * 60_000;
    await memory.recordFailure('frank', '198.51.100.40'); // failure 7: a 4 s wait, and the hour starts again
    now += 59 * 60_000;
    expect(await memory.check('frank', '198.51.100.40')).toEqual({ allowed: true });
    await memory.recordFailure('frank', '198.51.100.40'); // counted as failure 8: still remembered
    expect((await memory.check('frank', '198.51.100.40')).allowed).toBe(false);
    now += 60 * 60_000;
    await memory.recordFailure('frank', '198.51.100.40'); // forgotten: failure 1 again, free
    expect(await memory.check('frank', '198.51.100.40')).toEqual({ allowed: true });
  });
});
