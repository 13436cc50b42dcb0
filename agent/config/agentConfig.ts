import { defaultDataDirectory } from './defaultDataDirectory.js';
import { ConfigError } from './ConfigError.js';

/** Everything the agent is started with. Every field has a flag and an environment variable. */
export interface AgentConfig {
  /**
   * `--redis` / `REDIS_URL`. Default none (null): queues use the `postgres` engine and coordination
   * (leader lease, event fan-out, rate limits, worker registry) stays inside this one agent.
   */
  redisUrl: string | null;
  /** `--redis-prefix` / `SWITCHYARD_REDIS_PREFIX`: prefix of every Redis key. Default `sy`. */
  redisPrefix: string;
  /**
   * `--database` / `DATABASE_URL` (the database is created when missing). Default none (null): the
   * records live in embedded PGlite under the data directory (`<data dir>/pglite`).
   */
  databaseUrl: string | null;
  /** `--host` / `HOST`: address the HTTP server listens on. Default 127.0.0.1. */
  host: string;
  /** `--port` / `PORT`: 0 picks a free port. Default 7700. */
  port: number;
  /** `--handlers` / `SWITCHYARD_HANDLERS`: a folder of the user's handler modules. Default none. */
  handlersDirectory: string | null;
  /** `--data-dir` / `SWITCHYARD_DATA_DIR`. Default: the per-user application-data folder. */
  dataDirectory: string;
  /** `--concurrency` / `SWITCHYARD_CONCURRENCY`: tasks run at once per queue by this agent. Default 50. */
  concurrency: number;
  /** `--drain-ms` / `SWITCHYARD_DRAIN_MS`: how long a shutdown waits for running tasks. Default 30 000. */
  drainMs: number;
  /** `--log-level` / `LOG_LEVEL`: trace, debug, info, warn, error, fatal or silent. Default info. */
  logLevel: string;
  /** `--no-worker` / `SWITCHYARD_WORKER=false`: run no tasks in this agent (API and leader duties only). */
  worker: boolean;
  /**
   * `--cors-origins` / `SWITCHYARD_CORS_ORIGINS`: comma-separated origins (`https://ops.example.com`)
   * whose pages may call the API from a browser. Default none: only same-origin pages (the console
   * the agent serves) and non-browser clients.
   */
  corsOrigins: string[];
  /** `--body-limit` / `SWITCHYARD_BODY_LIMIT`: largest request body in bytes. Default 16 MiB (a bulk enqueue). */
  bodyLimitBytes: number;
  /** `--api-key-rate-limit` / `SWITCHYARD_API_KEY_RATE_LIMIT`: requests per second per API key over the cluster; 0 for none. Default 200. */
  apiKeyRateLimit: number;
  /** `--access-token-ttl` / `SWITCHYARD_ACCESS_TOKEN_TTL`: lifetime of an access token in seconds. Default 900 (15 minutes). */
  accessTokenTtlSeconds: number;
}

/** One setting: its flag, its environment variable, and how to read it. */
interface Setting<K extends keyof AgentConfig> {
  key: K;
  flag: string;
  variable: string;
  fallback: (environment: NodeJS.ProcessEnv) => AgentConfig[K];
  read: (text: string, name: string) => AgentConfig[K];
}

function url(protocols: string[]) {
  return (text: string, name: string): string => {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw new ConfigError(name, `'${text}' is not a URL (expected ${protocols.map((protocol) => `${protocol}//…`).join(' or ')})`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new ConfigError(name, `'${text}' must start with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}`);
    }
    return text;
  };
}

function wholeNumber(low: number, high: number) {
  return (text: string, name: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || value < low || value > high) {
      throw new ConfigError(name, `'${text}' must be a whole number from ${low} to ${high}`);
    }
    return value;
  };
}

function text(pattern: RegExp, expected: string) {
  return (value: string, name: string): string => {
    if (!pattern.test(value)) throw new ConfigError(name, `'${value}' must be ${expected}`);
    return value;
  };
}

function origins(value: string, name: string): string[] {
  const list = value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  for (const origin of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(name, `'${origin}' is not an origin (expected scheme://host[:port], no path or trailing slash)`);
    }
  }
  return list;
}

function yesOrNo(value: string, name: string): boolean {
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  throw new ConfigError(name, `'${value}' must be true or false`);
}

const settings = [
  { key: 'redisUrl', flag: 'redis', variable: 'REDIS_URL', fallback: () => null, read: url(['redis:', 'rediss:']) },
  { key: 'redisPrefix', flag: 'redis-prefix', variable: 'SWITCHYARD_REDIS_PREFIX', fallback: () => 'sy', read: text(/^[A-Za-z0-9_-]{1,32}$/, '1 to 32 letters, digits, _ or -') },
  {
    key: 'databaseUrl',
    flag: 'database',
    variable: 'DATABASE_URL',
    fallback: () => null,
    read: url(['postgres:', 'postgresql:']),
  },
  { key: 'host', flag: 'host', variable: 'HOST', fallback: () => '127.0.0.1', read: text(/^[A-Za-z0-9.:_-]{1,253}$/, 'a host name or address') },
  { key: 'port', flag: 'port', variable: 'PORT', fallback: () => 7700, read: wholeNumber(0, 65_535) },
  { key: 'handlersDirectory', flag: 'handlers', variable: 'SWITCHYARD_HANDLERS', fallback: () => null, read: (value: string) => value },
  { key: 'dataDirectory', flag: 'data-dir', variable: 'SWITCHYARD_DATA_DIR', fallback: (environment) => defaultDataDirectory(environment), read: (value: string) => value },
  { key: 'concurrency', flag: 'concurrency', variable: 'SWITCHYARD_CONCURRENCY', fallback: () => 50, read: wholeNumber(1, 10_000) },
  { key: 'drainMs', flag: 'drain-ms', variable: 'SWITCHYARD_DRAIN_MS', fallback: () => 30_000, read: wholeNumber(0, 3_600_000) },
  {
    key: 'logLevel',
    flag: 'log-level',
    variable: 'LOG_LEVEL',
    fallback: () => 'info',
    read: text(/^(trace|debug|info|warn|error|fatal|silent)$/, 'one of trace, debug, info, warn, error, fatal, silent'),
  },
  { key: 'worker', flag: 'worker', variable: 'SWITCHYARD_WORKER', fallback: () => true, read: yesOrNo },
  { key: 'corsOrigins', flag: 'cors-origins', variable: 'SWITCHYARD_CORS_ORIGINS', fallback: () => [], read: origins },
  { key: 'bodyLimitBytes', flag: 'body-limit', variable: 'SWITCHYARD_BODY_LIMIT', fallback: () => 16 * 1024 * 1024, read: wholeNumber(1024, 1024 * 1024 * 1024) },
  { key: 'apiKeyRateLimit', flag: 'api-key-rate-limit', variable: 'SWITCHYARD_API_KEY_RATE_LIMIT', fallback: () => 200, read: wholeNumber(0, 1_000_000) },
  { key: 'accessTokenTtlSeconds', flag: 'access-token-ttl', variable: 'SWITCHYARD_ACCESS_TOKEN_TTL', fallback: () => 900, read: wholeNumber(1, 86_400) },
] satisfies Setting<keyof AgentConfig>[] as Setting<keyof AgentConfig>[];

function camelCase(flag: string): string {
  return flag.replace(/-(\w)/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * The agent's configuration from flags (as commander parsed them: camel-cased flag names) and the
 * environment; a flag wins over its variable. Throws `ConfigError` naming the first bad setting.
 */
export function readAgentConfig(flags: Record<string, string | boolean | undefined>, environment: NodeJS.ProcessEnv = process.env): AgentConfig {
  const config: Partial<Record<keyof AgentConfig, unknown>> = {};
  for (const setting of settings) {
    const flagValue = flags[camelCase(setting.flag)] ?? flags[setting.flag];
    if (typeof flagValue === 'boolean') {
      config[setting.key] = flagValue;
    } else if (flagValue !== undefined) {
      config[setting.key] = setting.read(flagValue, `--${setting.flag}`);
    } else if (environment[setting.variable] !== undefined && environment[setting.variable] !== '') {
      config[setting.key] = setting.read(environment[setting.variable]!, setting.variable);
    } else {
      config[setting.key] = setting.fallback(environment);
    }
  }
  return config as AgentConfig;
}
