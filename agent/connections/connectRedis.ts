import { Redis } from 'ioredis';
import { ConfigError } from '../config/ConfigError.js';

const setting = '--redis (REDIS_URL)';

/**
 * Connects to Redis, failing fast (one line naming the setting) when it cannot be reached at
 * start. Once connected, the client reconnects with backoff for as long as it takes: an agent
 * survives a Redis restart.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 20,
    retryStrategy: (times) => (times > 3 ? null : 200),
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new ConfigError(setting, `cannot reach Redis at ${redactUrl(url)}: ${(error as Error).message}`);
  }
  redis.options.retryStrategy = (times) => Math.min(times * 200, 5_000);
  return redis;
}

/** A URL with its password replaced, fit for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
