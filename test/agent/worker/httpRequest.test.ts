import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskContext } from '../../../agent/worker/Handler.js';
import { httpRequest, maxResponseBodyBytes, type HttpRequestResult } from '../../../agent/worker/handlers/httpRequest.js';
import { isPermanentError } from '../../../agent/worker/PermanentError.js';
import { until } from '../../helpers/until.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
/** Requests to /hang wait here until the client goes away. */
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      seen.push({ method: request.method ?? '', url: url.pathname, headers: request.headers, body: Buffer.concat(chunks).toString() });
      if (url.pathname === '/hang') {
        hanging.push(response);
        return;
      }
      if (url.pathname === '/big') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('x'.repeat(maxResponseBodyBytes + 1_000));
        return;
      }
      const status = Number(url.searchParams.get('status') ?? 200);
      response.writeHead(status, { 'content-type': 'application/json', 'x-ignored': 'yes' });
      response.end(JSON.stringify({ method: request.method, path: url.pathname }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function context(payload: unknown, signal: AbortSignal = new AbortController().signal): TaskContext {
  return {
    id: 't1',
    queue: 'q',
    type: 'http.request',
    payload,
    attempt: 1,
    maxAttempts: 3,
    idempotencyKey: 't1',
    signal,
    traceParent: null,
    log: () => undefined,
  };
}

async function failure(payload: unknown, signal?: AbortSignal): Promise<Error> {
  const error = await httpRequest(context(payload, signal)).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('http.request', () => {
  it('makes a GET by default and answers status, a few headers and the body', async () => {
    const result = (await httpRequest(context({ url: `${base}/hello` }))) as HttpRequestResult;
    expect(result).toEqual({
      status: 200,
      headers: expect.objectContaining({ 'content-type': 'application/json' }),
      body: JSON.stringify({ method: 'GET', path: '/hello' }),
      truncated: false,
    });
    expect(result.headers).not.toHaveProperty('x-ignored');
  });

  it('sends other methods, headers and a string body as given', async () => {
    await httpRequest(context({ method: 'put', url: `${base}/text`, headers: { 'x-trace': 'abc' }, body: 'plain words' }));
    const request = seen.find((entry) => entry.url === '/text');
    expect(request).toMatchObject({ method: 'PUT', body: 'plain words', headers: expect.objectContaining({ 'x-trace': 'abc' }) });
  });

  it('JSON-encodes a non-string body with its content type', async () => {
    await httpRequest(context({ method: 'POST', url: `${base}/json`, body: { to: 'a@b.c', n: [1, 2] } }));
    const request = seen.find((entry) => entry.url === '/json');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ to: 'a@b.c', n: [1, 2] });
  });

  it('accepts the expected statuses and refuses others', async () => {
    const accepted = (await httpRequest(context({ url: `${base}/s?status=404`, expectStatus: [200, 404] }))) as HttpRequestResult;
    expect(accepted.status).toBe(404);
    const refused = await failure({ url: `${base}/s?status=201`, expectStatus: 200 });
    expect(refused.message).toContain('unexpected status 201');
  });

  it('fails 5xx, 408 and 429 retryably, and other 4xx permanently', async () => {
    for (const status of [500, 503, 408, 429]) {
      const error = await failure({ url: `${base}/s?status=${status}` });
      expect(error.message).toContain(`unexpected status ${status}`);
      expect(isPermanentError(error), `status ${status}`).toBe(false);
    }
    for (const status of [400, 404, 410]) {
      const error = await failure({ url: `${base}/s?status=${status}` });
      expect(isPermanentError(error), `status ${status}`).toBe(true);
      expect((error as Error & { code?: string }).code).toBe(`http_${status}`);
    }
  });

  it('refuses a bad payload permanently, naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ url: 'ftp://example.com/x' }, 'url'],
      [{}, 'url'],
      [{ url: `${base}/x`, method: 'GE T' }, 'method'],
      [{ url: `${base}/x`, expectStatus: 'ok' }, 'expectStatus'],
      [{ url: `${base}/x`, headers: { a: 1 } }, 'headers.a'],
      [{ url: `${base}/x`, timeoutMs: -5 }, 'timeoutMs'],
      [{ url: `${base}/x`, body: 'text' }, 'body'],
      ['just a string', 'payload'],
    ];
    for (const [payload, field] of cases) {
      const error = await failure(payload);
      expect(isPermanentError(error), JSON.stringify(payload)).toBe(true);
      expect(error.message).toContain(`: ${field}:`);
    }
  });

  it('stops when the task signal aborts', async () => {
    const controller = new AbortController();
    const pending = failure({ url: `${base}/hang` }, controller.signal);
    const before = hanging.length;
    await until(() => hanging.length > before);
    controller.abort(new Error('lease lost'));
    const error = await pending;
    expect(isPermanentError(error)).toBe(false);
  });

  it('times out after the payload timeoutMs, retryably', async () => {
    const error = await failure({ url: `${base}/hang`, timeoutMs: 50 });
    expect(error.message).toContain('timed out after 50 ms');
    expect(isPermanentError(error)).toBe(false);
  });

  it('fails retryably when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure({ url: `http://127.0.0.1:${port}/` });
    expect(error.message).toContain('ECONNREFUSED');
    expect(isPermanentError(error)).toBe(false);
  });

  it('cuts the body at 64 KiB', async () => {
    const result = (await httpRequest(context({ url: `${base}/big` }))) as HttpRequestResult;
    expect(result.body.length).toBe(maxResponseBodyBytes);
    expect(result.truncated).toBe(true);
  });
});
