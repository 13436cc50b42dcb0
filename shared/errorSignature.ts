import type { TaskError } from './task.js';

/**
 * How the dead-letter queue groups failures: by a signature made of the error's message with its
 * variable parts replaced (ids, numbers, quoted text, times) and the top frame of its stack
 * (function and file, without line numbers, which move with every deploy). Two tasks that
 * failed the same way share a signature even when their messages named different records.
 */
export interface ErrorSignature {
  /** The grouping key: `<title> @ <top frame>` (or the title alone without a stack). */
  signature: string;
  /** The normalised message, for people. */
  title: string;
}

const maxLength = 500;

const replacements: Array<[RegExp, string | ((match: string) => string)]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?\b/g, '<time>'],
  [/"[^"]*"|'[^']*'|`[^`]*`/g, '<text>'],
  [/\b0x[0-9a-f]+\b|\b[0-9a-f]*\d[0-9a-f]*[a-f][0-9a-f]*\b|\b[0-9a-f]*[a-f][0-9a-f]*\d[0-9a-f]*\b/gi, (match) => (match.length >= 8 ? '<hex>' : match)],
  [/\d+(\.\d+)?/g, '<n>'],
];

/** The message's first line with its variable parts replaced. */
export function normaliseMessage(message: string): string {
  let text = (message.split('\n')[0] ?? '').trim();
  for (const [pattern, replacement] of replacements) {
    text = typeof replacement === 'string' ? text.replace(pattern, replacement) : text.replace(pattern, replacement);
  }
  return text.replace(/\s+/g, ' ').slice(0, maxLength) || '(no message)';
}

/** `at send (/srv/app/handlers/mail.js:10:5)` → `send (mail.js)`; undefined without a frame. */
export function topFrame(stack: string | undefined): string | undefined {
  const line = stack?.split('\n').find((candidate) => /^\s*at\s/.test(candidate));
  if (!line) return undefined;
  const frame = line.trim().replace(/^at\s+/, '');
  const named = /^(.*?) \((.*)\)$/.exec(frame);
  const [name, location] = named ? [named[1]!, named[2]!] : ['', frame];
  const file = location.replace(/(:\d+)+$/, '').split(/[\\/]/).pop() ?? location;
  return (name ? `${name} (${file})` : file).slice(0, 200);
}

export function errorSignature(error: Pick<TaskError, 'message' | 'stack'>): ErrorSignature {
  const title = normaliseMessage(error.message);
  const frame = topFrame(error.stack);
  return { title, signature: (frame ? `${title} @ ${frame}` : title).slice(0, maxLength) };
}
