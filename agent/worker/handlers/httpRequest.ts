import { z } from 'zod';
import type { Handler } from '../Handler.js';
import { PermanentError } from '../PermanentError.js';

/** The task type of the built-in HTTP handler. */
export const httpRequestType = 'http.request';

/** Longest response body kept in the result; the rest is read no further. */
export const maxResponseBodyBytes = 64 * 1024;

/** Response headers copied into the result; the others are dropped. */
const keptHeaders = ['content-type', 'content-length', 'location', 'retry-after', 'etag', 'last-modified'];

const status = z.number().int().min(100).max(599);

export const httpRequestPayload = z.object({
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, 'must be an HTTP method such as GET or POST')
    .transform((method) => method.toUpperCase())
    .default('GET'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
  headers: z.record(z.string(), z.string()).optional(),
  /** A string is sent as is; any other JSON value is sent JSON-encoded with its content type. */
  body: z.unknown().optional(),
  /** Statuses that count as success. Default: any 2xx. */
  expectStatus: z.union([status, z.array(status).min(1)]).optional(),
  /** Abort the request after this long (the task's own timeout applies as well). */
  timeoutMs: z.number().int().positive().optional(),
});
export type HttpRequestPayload = z.input<typeof httpRequestPayload>;

export interface HttpRequestResult {
  status: number;
  headers: Record<string, string>;
  /** The body as text, cut at 64 KiB. */
  body: string;
  truncated: boolean;
}

/**
 * `http.request`: makes one HTTP request with the task's signal. An unexpected status fails the
 * attempt; 4xx (except 408 and 429) are permanent, since repeating the same request will not
 * change the answer, while 408, 429, 5xx and network errors are retried with backoff.
 * A payload that does not validate is permanent and names the field.
 */
export const httpRequest: Handler = async ({ payload, signal }): Promise<HttpRequestResult> => {
  const parsed = httpRequestPayload.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'payload';
    throw new PermanentError(`invalid http.request payload: ${field}: ${issue?.message ?? 'invalid'}`, { code: 'invalid_payload' });
  }
  const request = parsed.data;
  const headers = new Headers(request.headers);
  let body: string | undefined;
  if (typeof request.body === 'string') {
    body = request.body;
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  if (body !== undefined && (request.method === 'GET' || request.method === 'HEAD')) {
    throw new PermanentError(`invalid http.request payload: body: a ${request.method} request cannot have a body`, { code: 'invalid_payload' });
  }
  const requestSignal = request.timeoutMs === undefined ? signal : AbortSignal.any([signal, AbortSignal.timeout(request.timeoutMs)]);

  let response: Response;
  let read: { text: string; truncated: boolean };
  try {
    response = await fetch(request.url, { method: request.method, headers, body, signal: requestSignal, redirect: 'follow' });
    read = await readText(response);
  } catch (error) {
    throw describeFetchError(error, request.method, request.url, request.timeoutMs);
  }
  const { text, truncated } = read;
  const result: HttpRequestResult = { status: response.status, headers: pickHeaders(response.headers), body: text, truncated };
  if (expected(response.status, request.expectStatus)) return result;

  const message = `unexpected status ${response.status} from ${request.method} ${request.url}`;
  const code = `http_${response.status}`;
  const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
  if (permanent) throw new PermanentError(message, { code });
  throw Object.assign(new Error(message), { code });
};

function expected(status: number, expectStatus: number | number[] | undefined): boolean {
  if (expectStatus === undefined) return status >= 200 && status < 300;
  return Array.isArray(expectStatus) ? expectStatus.includes(status) : status === expectStatus;
}

function pickHeaders(headers: Headers): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of keptHeaders) {
    const value = headers.get(name);
    if (value !== null) picked[name] = value;
  }
  return picked;
}

/** Reads at most `maxResponseBodyBytes` of the body and cancels the rest. */
async function readText(response: Response): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), truncated: false };
    const room = maxResponseBodyBytes - bytes;
    if (value.byteLength >= room) {
      text += decoder.decode(value.subarray(0, room));
      const truncated = value.byteLength > room || !(await reader.read()).done;
      if (truncated) await reader.cancel().catch(() => undefined);
      return { text, truncated };
    }
    bytes += value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
}

function describeFetchError(error: unknown, method: string, url: string, timeoutMs: number | undefined): Error {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return Object.assign(new Error(`${method} ${url} timed out after ${timeoutMs} ms`), { code: 'http_timeout' });
  }
  if (error instanceof Error && error.name === 'AbortError') return error;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const detail = cause ? ((cause as { code?: unknown }).code ?? cause.message) : error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`${method} ${url} failed: ${String(detail)}`), { code: 'http_network' });
}
