/**
 * The enqueue form's fields as a `tasks.enqueue` request. Only the payload is checked here (it
 * must parse as JSON, and the parse error is shown before anything is sent); numbers are passed on
 * as typed, and the agent's answer names any field out of range (`body.priority: …`), so the form
 * and the API never disagree about the bounds.
 */
import type { RequestOf } from '../../../shared/api/client.js';

/** The form's fields as typed; an empty string means "the queue's default". */
export interface EnqueueDraft {
  queue: string;
  type: string;
  payload: string;
  priority: string;
  delayMs: string;
  maxAttempts: string;
}

export const emptyDraft: EnqueueDraft = { queue: '', type: '', payload: '', priority: '', delayMs: '', maxAttempts: '' };

export type EnqueueRequest = RequestOf<'tasks.enqueue'>;

/** The payload text parsed, or the parser's message; an empty text is no payload. */
export function parsePayload(text: string): { payload: unknown } | { error: string } {
  if (text.trim() === '') return { payload: undefined };
  try {
    return { payload: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `Payload is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** A number field: absent when empty, else the number typed (the agent checks its range). */
function numberField(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

export function enqueueRequest(draft: EnqueueDraft): { request: EnqueueRequest } | { error: string } {
  const parsed = parsePayload(draft.payload);
  if ('error' in parsed) return parsed;
  const body: EnqueueRequest['body'] = { type: draft.type.trim() };
  if (parsed.payload !== undefined) body.payload = parsed.payload;
  const priority = numberField(draft.priority);
  const delayMs = numberField(draft.delayMs);
  const maxAttempts = numberField(draft.maxAttempts);
  if (priority !== undefined) body.priority = priority;
  if (delayMs !== undefined) body.delayMs = delayMs;
  if (maxAttempts !== undefined) body.maxAttempts = maxAttempts;
  return { request: { params: { name: draft.queue }, body } };
}
