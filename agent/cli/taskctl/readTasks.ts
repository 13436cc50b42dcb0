import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';
import { readAllStdin } from './terminalInput.js';

/**
 * Tasks to enqueue from a file or stdin: one JSON task object, a JSON array of them, or JSON
 * lines (one task object per line). Answers the tasks and whether the text held a single object
 * (enqueued with `tasks.enqueue`) or a list (enqueued in bulk).
 *
 * Only the shape is checked here (JSON, objects); the fields are checked against the API's own
 * schema before anything is sent (see enqueueTasks.ts).
 */
export async function readTasks(source: string | undefined): Promise<{ tasks: Array<Record<string, unknown>>; single: boolean; from: string }> {
  const from = source === undefined || source === '-' ? 'stdin' : source;
  let text: string;
  if (from === 'stdin') {
    if (process.stdin.isTTY) throw new UsageError('no tasks given: pass --type (one task), --file <tasks.json>, or pipe tasks into stdin');
    text = await readAllStdin();
  } else {
    try {
      text = await readFile(from, 'utf8');
    } catch (error) {
      throw new UsageError(`--file: cannot read ${from} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  if (text.trim() === '') throw new UsageError(`${from} is empty: it must hold a task object, an array of them, or JSON lines`);
  const parsed = parseJsonOrLines(text, from);
  const single = !Array.isArray(parsed);
  const tasks = (single ? [parsed] : parsed) as unknown[];
  if (tasks.length === 0) throw new UsageError(`${from} holds an empty array: no tasks to enqueue`);
  const bad = tasks.findIndex((task) => typeof task !== 'object' || task === null || Array.isArray(task));
  if (bad !== -1) throw new UsageError(`${from}: ${single ? 'the task' : `task ${bad}`} is not a JSON object`);
  return { tasks: tasks as Array<Record<string, unknown>>, single, from };
}

function parseJsonOrLines(text: string, from: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (whole) {
    const lines = text.split('\n');
    if (lines.filter((line) => line.trim() !== '').length < 2) throw new UsageError(`${from}: not valid JSON (${(whole as Error).message})`);
    const tasks: unknown[] = [];
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      try {
        tasks.push(JSON.parse(line));
      } catch (error) {
        throw new UsageError(`${from}: neither JSON nor JSON lines (line ${index + 1}: ${(error as Error).message})`);
      }
    }
    return tasks;
  }
}
