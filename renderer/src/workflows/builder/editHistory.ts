/**
 * Undo and redo over immutable values: the present, what came before it (newest last) and what
 * an undo took back (newest last). `record` makes a new entry — unless it carries the same key
 * as the entry before (typing in one field, one drag of a node), in which case it changes the
 * present in place, so one undo takes back the whole word or the whole drag. At most `limit`
 * entries are kept behind the present.
 */
export interface EditHistory<T> {
  past: readonly T[];
  present: T;
  future: readonly T[];
  /** The key of the change that made the present, while another change may still continue it. */
  lastKey: string | null;
}

export const historyLimit = 200;

export function startHistory<T>(present: T): EditHistory<T> {
  return { past: [], present, future: [], lastKey: null };
}

/**
 * `next` as the new present. Without a key, or with a key other than the last change's, the old
 * present becomes undoable; with the same key it is replaced. The redo list is dropped either
 * way. The same value changes nothing.
 */
export function record<T>(history: EditHistory<T>, next: T, key?: string, limit = historyLimit): EditHistory<T> {
  if (next === history.present) return history;
  if (key !== undefined && key === history.lastKey) return { ...history, present: next, future: [] };
  return { past: [...history.past, history.present].slice(-limit), present: next, future: [], lastKey: key ?? null };
}

/** Ends the change under way (a save, say): the next change, even with the same key, is a step of its own. */
export function settle<T>(history: EditHistory<T>): EditHistory<T> {
  return history.lastKey === null ? history : { ...history, lastKey: null };
}

export function canUndo(history: EditHistory<unknown>): boolean {
  return history.past.length > 0;
}

export function canRedo(history: EditHistory<unknown>): boolean {
  return history.future.length > 0;
}

export function undo<T>(history: EditHistory<T>): EditHistory<T> {
  if (!canUndo(history)) return history;
  return { past: history.past.slice(0, -1), present: history.past.at(-1)!, future: [...history.future, history.present], lastKey: null };
}

export function redo<T>(history: EditHistory<T>): EditHistory<T> {
  if (!canRedo(history)) return history;
  return { past: [...history.past, history.present], present: history.future.at(-1)!, future: history.future.slice(0, -1), lastKey: null };
}
