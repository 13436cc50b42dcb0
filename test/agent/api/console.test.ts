import fastifyHelmet from '@fastify/helmet';
import fastify, { type FastifyInstance } from 'fastify';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleContentSecurityPolicy, consoleRoutes } from '../../../agent/api/consoleRoutes.js';

/** The console routes on a server with helmet, as createApiServer registers them, over a fixture folder. */
async function consoleServer(directory: string): Promise<FastifyInstance> {
  const server = fastify({ logger: false });
  await server.register(fastifyHelmet, { global: true });
  server.get('/api/v1/ping', async () => ({ pong: true }));
  consoleRoutes(server, { directory });
  await server.ready();
  return server;
}

describe('GET / (the web console)', () => {
  let folder: string;
  let built: FastifyInstance;
  let unbuilt: FastifyInstance;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'switchyard-console-'));
    const directory = join(folder, 'renderer');
    await mkdir(join(directory, 'assets'), { recursive: true });
    await writeFile(join(directory, 'index.html'), '<!doctype html><title>fixture console</title>');
    await writeFile(join(directory, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(directory, 'assets', 'index-abc123.css'), 'body{}');
    await writeFile(join(folder, 'secret.txt'), 'outside');
    built = await consoleServer(directory);
    unbuilt = await consoleServer(join(folder, 'missing'));
  });
  afterAll(async () => {
    await built?.close();
    await unbuilt?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('answers index.html at / with the strict CSP and no caching', async () => {
    const response = await built.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('fixture console');
    expect(response.headers['content-security-policy']).toBe(consoleContentSecurityPolicy);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('keeps the policy strict: own scripts, styles and connections only', () => {
    const directives = Object.fromEntries(consoleContentSecurityPolicy.split('; ').map((part) => [part.split(' ')[0], part.split(' ').slice(1)]));
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(consoleContentSecurityPolicy).not.toMatch(/unsafe|\*|https?:/);
  });

  it('answers index.html for client-side routes', async () => {
    const response = await built.inject({ method: 'GET', url: '/queues/mail?tab=tasks' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('fixture console');
  });

  it('serves hashed assets with their content type and a long cache', async () => {
    const script = await built.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.body).toBe('console.log(1)');
    const nested = await built.inject({ method: 'GET', url: '/queues/assets/index-abc123.js' });
    expect(nested.body).toBe('console.log(1)');
    const style = await built.inject({ method: 'GET', url: '/assets/index-abc123.css' });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for a missing asset or file, not the console', async () => {
    expect((await built.inject({ method: 'GET', url: '/assets/nope.js' })).statusCode).toBe(404);
    expect((await built.inject({ method: 'GET', url: '/favicon.ico' })).statusCode).toBe(404);
  });

  it('refuses path traversal, plain or encoded', async () => {
    for (const url of ['/assets/../../secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e%5c..%5csecret.txt', '/assets/%00x', '/queues/assets/..%2f..%2f..%2fsecret.txt']) {
      const response = await built.inject({ method: 'GET', url });
      expect(response.body, url).not.toContain('outside');
      expect(response.statusCode, url).not.toBe(200);
    }
  });

  it('leaves API paths to the API', async () => {
    expect((await built.inject({ method: 'GET', url: '/api/v1/ping' })).json()).toEqual({ pong: true });
    const unknown = await built.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).not.toContain('fixture console');
  });

  it('answers 503 with how to build when the renderer is not built', async () => {
    const response = await unbuilt.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('npm run build');
  });
});
