/**
 * JSON typed into a text area (a node's input template, a run's input): the value, or a message
 * that names the field and what the parser tripped on, so the author can find it.
 */
export type JsonTextResult = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJsonText(text: string, field: string): JsonTextResult {
  if (text.trim() === '') return { ok: false, message: `${field}: empty; write a JSON value, e.g. {}` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `${field}: not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** A whole number typed in a field, or undefined for an empty field; a message naming the field and the bounds otherwise. */
export function parseWholeNumber(text: string, field: string, min: number, max: number): { ok: true; value: number | undefined } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: undefined };
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) return { ok: false, message: `${field}: a whole number from ${min} to ${max}` };
  return { ok: true, value };
}
