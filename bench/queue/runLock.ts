/**
 * One queue benchmark at a time per Redis. Two runs would delete each other's keys on reset (they
 * use the same prefixes and databases), and on a shared machine their numbers would be
 * meaningless anyway. The lock is a Redis key with a one-minute lease, renewed while the run
 * lasts, so a run that crashed frees it within a minute.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';

export const runLockKey = 'sybench:lock';
const leaseMs = 60_000;

/** Extends the lease only while it is still ours. */
const renewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";
/** Deletes the key only while it is still ours. */
const releaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

export interface RunLock {
  release(): Promise<void>;
}

/** Takes the lock, or throws an Error naming the run that holds it. */
export async function acquireRunLock(redisUrl: string): Promise<RunLock> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const taken = await redis.set(runLockKey, owner, 'PX', leaseMs, 'NX');
  if (taken === null) {
    const holder = await redis.get(runLockKey);
    redis.disconnect();
    throw new Error(`another queue benchmark is running (${holder ?? 'just finished'}); run again when it is done`);
  }
  const renewal = setInterval(() => {
    redis.eval(renewScript, 1, runLockKey, owner, leaseMs).catch((error: unknown) => {
      console.error(`could not renew the benchmark lock: ${String(error)}`);
    });
  }, leaseMs / 3);
  renewal.unref();
  return {
    async release() {
      clearInterval(renewal);
      await redis.eval(releaseScript, 1, runLockKey, owner).catch(() => undefined);
      redis.disconnect();
    },
  };
}
