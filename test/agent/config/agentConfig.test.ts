import { describe, expect, it } from 'vitest';
import { readAgentConfig } from '../../../agent/config/agentConfig.js';
import { ConfigError } from '../../../agent/config/ConfigError.js';

function configError(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readAgentConfig', () => {
  it('fills every default', () => {
    const config = readAgentConfig({}, { XDG_DATA_HOME: '/tmp/xdg' });
    expect(config).toMatchObject({
      redisUrl: null,
      redisPrefix: 'sy',
      databaseUrl: null,
      host: '127.0.0.1',
      port: 7700,
      handlersDirectory: null,
      concurrency: 50,
      drainMs: 30_000,
      logLevel: 'info',
      worker: true,
    });
    if (process.platform === 'linux') expect(config.dataDirectory).toBe('/tmp/xdg/switchyard');
  });

  it('reads a list of CORS origins', () => {
    expect(readAgentConfig({}, { SWITCHYARD_CORS_ORIGINS: 'https://a.example.com, http://localhost:5173' }).corsOrigins).toEqual(['https://a.example.com', 'http://localhost:5173']);
  });

  it('reads the environment, and a flag wins over its variable', () => {
    const environment = { REDIS_URL: 'redis://10.0.0.1:6379', PORT: '8000', SWITCHYARD_WORKER: 'false' };
    expect(readAgentConfig({}, environment)).toMatchObject({ redisUrl: 'redis://10.0.0.1:6379', port: 8000, worker: false });
    expect(readAgentConfig({ port: '9000', redis: 'rediss://cache:6380' }, environment)).toMatchObject({ port: 9000, redisUrl: 'rediss://cache:6380' });
    expect(readAgentConfig({ dataDir: '/srv/switchyard', redisPrefix: 'prod' }, {})).toMatchObject({ dataDirectory: '/srv/switchyard', redisPrefix: 'prod' });
  });

  it.each([
    [{ port: 'abc' }, {}, '--port'],
    [{ port: '70000' }, {}, '--port'],
    [{}, { PORT: '-1' }, 'PORT'],
    [{ redis: 'http://localhost' }, {}, '--redis'],
    [{}, { REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ database: 'mysql://x' }, {}, '--database'],
    [{}, { SWITCHYARD_CONCURRENCY: '0' }, 'SWITCHYARD_CONCURRENCY'],
    [{ logLevel: 'loud' }, {}, '--log-level'],
    [{}, { SWITCHYARD_WORKER: 'maybe' }, 'SWITCHYARD_WORKER'],
    [{ redisPrefix: 'has space' }, {}, '--redis-prefix'],
    [{ corsOrigins: 'https://ops.example.com/' }, {}, '--cors-origins'],
    [{}, { SWITCHYARD_CORS_ORIGINS: 'https://a.example.com,ftp://b.example.com' }, 'SWITCHYARD_CORS_ORIGINS'],
    [{ bodyLimit: '10' }, {}, '--body-limit'],
  ])('refuses %j %j naming %s', (flags, environment, setting) => {
    const error = configError(() => readAgentConfig(flags, environment));
    expect(error.setting).toBe(setting);
    expect(error.message.startsWith(`${setting}: `)).toBe(true);
    expect(error.message).not.toContain('\n');
  });
});
