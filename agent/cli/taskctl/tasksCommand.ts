import type { Command } from 'commander';
import type { ResponseOf } from '../../../shared/api/client.js';
import { maxBulkTasks } from '../../../shared/api/schemas/tasks.js';
import { UsageError } from './errors.js';
import { checkTasks, enqueueInBulk, type TaskRequest } from './enqueueTasks.js';
import { brief, fields, shorten, span, table, time } from './output.js';
import { defined, instant, jsonValue, wholeNumber } from './parseOption.js';
import { readTasks } from './readTasks.js';
import { Taskctl } from './Taskctl.js';

interface EnqueueFlags {
  file?: string;
  type?: string;
  payload?: string;
  priority?: string;
  delayMs?: string;
  runAt?: string;
  maxAttempts?: string;
  timeoutMs?: string;
  idempotencyKey?: string;
  chunkSize?: string;
}

/** `taskctl tasks enqueue|get|cancel|promote` (and, in tasksTriageCommands.ts, the actions on many). */
export function registerTasksCommand(program: Command): Command {
  const tasks = program.command('tasks').description('enqueue, find, look up, cancel, promote and retry tasks; act on many at once');

  tasks
    .command('enqueue')
    .description('enqueue one task from flags, or many from a file or stdin (a task object, an array, or JSON lines)')
    .argument('<queue>')
    .option('--file <path>', 'read tasks from this file (- for stdin); without --file and --type they are read from stdin')
    .option('--type <type>', 'the task type (one task from flags; with a file, the type of tasks that give none)')
    .option('--payload <json>', 'the payload of the one task, as JSON')
    .option('--priority <0-9>', 'higher runs first (default 5)')
    .option('--delay-ms <ms>', 'run no earlier than this many milliseconds from now')
    .option('--run-at <time>', 'run no earlier than this: epoch ms, ISO 8601, or a duration from now (10m)')
    .option('--max-attempts <n>', 'attempts before the task is dead')
    .option('--timeout-ms <ms>', 'how long one attempt may run')
    .option('--idempotency-key <key>', 'enqueue at most once per key (one task only)')
    .option('--chunk-size <n>', `most tasks per bulk request (at most ${maxBulkTasks})`)
    .action(async (queue: string, flags: EnqueueFlags, command: Command) => {
      const taskctl = Taskctl.of(command);
      const defaults = taskDefaults(flags);
      const chunkSize = flags.chunkSize === undefined ? maxBulkTasks : wholeNumber('--chunk-size', flags.chunkSize);
      if (chunkSize < 1 || chunkSize > maxBulkTasks) throw new UsageError(`--chunk-size: must be from 1 to ${maxBulkTasks}`);

      if (flags.file === undefined && flags.type !== undefined) {
        const [task] = checkTasks([{ ...defaults, type: flags.type, ...defined({ payload: flags.payload === undefined ? undefined : jsonValue('--payload', flags.payload) }) }], true);
        const answer = await taskctl.api.call('tasks.enqueue', { params: { name: queue }, body: task! });
        taskctl.output.result(answer, () => `${answer.deduplicated ? 'already enqueued (same idempotency key)' : 'enqueued'} ${answer.id}`);
        return;
      }
      if (flags.payload !== undefined) throw new UsageError('--payload: only for one task given with --type; tasks from a file or stdin carry their own');
      if (flags.idempotencyKey !== undefined) throw new UsageError('--idempotency-key: only for one task given with --type; give each task in the file its own');

      const read = await readTasks(flags.file);
      const given = checkTasks(
        read.tasks.map((task) => ({ ...defaults, ...defined({ type: flags.type }), ...task })),
        read.single,
      );
      if (read.single) {
        const answer = await taskctl.api.call('tasks.enqueue', { params: { name: queue }, body: given[0]! });
        taskctl.output.result(answer, () => `${answer.deduplicated ? 'already enqueued (same idempotency key)' : 'enqueued'} ${answer.id}`);
        return;
      }
      const answer = await enqueueInBulk(taskctl.api, queue, given, { chunkSize, progress: (chunks) => chunks > 1 && process.stderr.isTTY === true });
      taskctl.output.result({ tasks: answer.tasks }, () => {
        const deduplicated = answer.tasks.filter((task) => task.deduplicated).length;
        return `enqueued ${answer.tasks.length} tasks from ${read.from} to ${queue} in ${answer.requests} request${answer.requests === 1 ? '' : 's'}${deduplicated > 0 ? ` (${deduplicated} already enqueued: same idempotency key)` : ''}`;
      });
    });

  tasks
    .command('get')
    .description('one task: its state, payload, result and every attempt')
    .argument('<queue>')
    .argument('<id>')
    .action(async (queue: string, id: string, _flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const task = await taskctl.api.call('tasks.get', { params: { name: queue, id } });
      taskctl.output.result(task, () => describeTask(task));
    });

  for (const [name, description, done] of [
    ['cancel', 'cancel a task that has not finished', 'cancelled'],
    ['promote', 'run a scheduled or backing-off task now', 'promoted'],
  ] as const) {
    tasks
      .command(name)
      .description(description)
      .argument('<queue>')
      .argument('<id>')
      .action(async (queue: string, id: string, _flags: unknown, command: Command) => {
        const taskctl = Taskctl.of(command);
        const answer = await taskctl.api.call(name === 'cancel' ? 'tasks.cancel' : 'tasks.promote', { params: { name: queue, id } });
        taskctl.output.result(answer, () => (answer.applied ? `${done} ${id}` : `${id} was not ${done}: it is not in a state that allows it (see taskctl tasks get ${queue} ${id})`));
      });
  }
  return tasks;
}

/** The task fields given as flags, applied to every task that leaves them out. */
function taskDefaults(flags: EnqueueFlags): Partial<TaskRequest> {
  return defined({
    priority: flags.priority === undefined ? undefined : wholeNumber('--priority', flags.priority),
    delayMs: flags.delayMs === undefined ? undefined : wholeNumber('--delay-ms', flags.delayMs),
    runAt: flags.runAt === undefined ? undefined : instant('--run-at', flags.runAt, 'ahead'),
    maxAttempts: flags.maxAttempts === undefined ? undefined : wholeNumber('--max-attempts', flags.maxAttempts),
    timeoutMs: flags.timeoutMs === undefined ? undefined : wholeNumber('--timeout-ms', flags.timeoutMs),
    idempotencyKey: flags.idempotencyKey,
  });
}

export function describeTask(task: ResponseOf<'tasks.get'>): string {
  const summary = fields([
    ['id', task.id],
    ['queue', task.queue],
    ['type', task.type],
    ['state', task.state],
    ['priority', task.priority],
    ['attempts', `${task.attempts} of ${task.maxAttempts}`],
    ['created', time(task.createdAt)],
    ['run at', time(task.runAt)],
    ['started', time(task.startedAt)],
    ['finished', time(task.finishedAt)],
    ['timeout', span(task.timeoutMs)],
    ['idempotency key', task.idempotencyKey],
    ['payload', brief(task.payload, 200)],
    ['result', task.result === undefined || task.result === null ? '-' : brief(task.result, 200)],
    ['error', task.error ? shorten(task.error.message, 200) : '-'],
  ]);
  if (task.history.length === 0) return summary;
  const attempts = table(
    ['attempt', 'worker', 'started', 'finished', 'outcome', 'error'],
    task.history.map((attempt) => [attempt.attempt, attempt.workerId, time(attempt.startedAt), time(attempt.finishedAt), attempt.outcome, attempt.error ? shorten(attempt.error.message, 80) : '-']),
  );
  return `${summary}\n\n${attempts}`;
}
