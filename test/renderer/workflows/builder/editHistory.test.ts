/** Undo and redo (renderer/src/workflows/builder/editHistory.ts). */
import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, record, redo, settle, startHistory, undo } from '../../../../renderer/src/workflows/builder/editHistory.js';

describe('edit history', () => {
  it('undoes and redoes in order, and a new change drops what could be redone', () => {
    let history = startHistory('a');
    expect(canUndo(history)).toBe(false);
    history = record(history, 'b');
    history = record(history, 'c');
    history = undo(history);
    expect(history.present).toBe('b');
    history = undo(history);
    expect(history.present).toBe('a');
    expect(canUndo(history)).toBe(false);
    expect(undo(history)).toBe(history);
    history = redo(history);
    expect(history.present).toBe('b');
    expect(canRedo(history)).toBe(true);
    history = record(history, 'd');
    expect(canRedo(history)).toBe(false);
    expect(redo(history)).toBe(history);
    expect(undo(history).present).toBe('b');
  });

  it('folds changes with the same key into one step, until another change or an undo comes between', () => {
    let history = startHistory('');
    for (const text of ['j', 'jo', 'job', 'jobs']) history = record(history, text, 'queue');
    expect(history.past).toEqual(['']);
    history = record(history, 'jobs!', 'type');
    expect(history.past).toEqual(['', 'jobs']);
    history = undo(history);
    history = record(history, 'jobs?', 'type');
    expect(history.past).toEqual(['', 'jobs']);
    expect(undo(history).present).toBe('jobs');
  });

  it('starts a new step after a settle (a save), even with the same key', () => {
    let history = record(record(startHistory('5'), '50', 'timeout'), '500', 'timeout');
    history = settle(history);
    history = record(record(history, '5000', 'timeout'), '50000', 'timeout');
    expect(undo(history).present).toBe('500');
    expect(settle(startHistory('x'))).toEqual(startHistory('x'));
  });

  it('makes no step for the same value and keeps at most the limit', () => {
    const history = startHistory(0);
    expect(record(history, 0)).toBe(history);
    let long = history;
    for (let value = 1; value <= 10; value += 1) long = record(long, value, undefined, 4);
    expect(long.past).toEqual([6, 7, 8, 9]);
  });
});
