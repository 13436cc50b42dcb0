import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { taskStates } from '../../../shared/task.js';
import { UsageError } from './errors.js';
import { table, time } from './output.js';
import { defined, instant, oneOf, wholeNumber } from './parseOption.js';
import { Taskctl } from './Taskctl.js';

const bulkActions = ['cancel', 'retry', 'promote'] as const;

interface FilterFlags {
  type?: string[];
  state?: string[];
  since?: string;
  until?: string;
  text?: string;
}

/** `taskctl tasks search|retry|bulk`: finding tasks, live and archived, and acting on many. */
export function registerTaskTriageCommands(tasks: Command): void {
  withFilterFlags(
    tasks
      .command('search')
      .description('find tasks by id, type, state, time and text, live and archived, newest first')
      .option('--queue <queue>', 'only this queue')
      .option('--id <id>', 'one task by id')
      .option('--limit <n>', 'tasks per page (1 to 500; default 100)')
      .option('--cursor <cursor>', 'the next page, as the last page said'),
  ).action(async (flags: FilterFlags & { queue?: string; id?: string; limit?: string; cursor?: string }, command: Command) => {
    const taskctl = Taskctl.of(command);
    const filter = filterOf(flags);
    const query = defined({
      queue: flags.queue,
      id: flags.id,
      type: filter.types?.join(','),
      state: filter.states?.join(','),
      since: filter.since,
      until: filter.until,
      text: filter.text,
      limit: flags.limit === undefined ? undefined : wholeNumber('--limit', flags.limit),
      cursor: flags.cursor,
    });
    const page = await taskctl.api.call('tasks.search', { query });
    taskctl.output.result(page, () => {
      const rows = table(
        ['id', 'queue', 'type', 'state', 'attempts', 'created', 'finished', 'where'],
        page.tasks.map((task) => [task.id, task.queue, task.type, task.state, `${task.attempts}/${task.maxAttempts}`, time(task.createdAt), time(task.finishedAt), task.source]),
        '(no tasks match)',
      );
      return page.nextCursor ? `${rows}\n\nmore tasks: run again with the same filters and --cursor ${page.nextCursor}` : rows;
    });
  });

  tasks
    .command('retry')
    .description('run a dead or cancelled task again (an archived one as a copy)')
    .argument('<queue>')
    .argument('<id>')
    .action(async (queue: string, id: string, _flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const answer = await taskctl.api.call('tasks.retry', { params: { name: queue, id } });
      taskctl.output.result(answer, () =>
        !answer.applied
          ? `${id} was not retried: only a dead or cancelled task not retried before can be${answer.copied ? ` (it was retried as ${answer.taskId})` : ''}`
          : answer.copied
            ? `retrying ${id} as the new task ${answer.taskId} (the original was archived)`
            : `retrying ${id}`,
      );
    });

  withFilterFlags(
    tasks
      .command('bulk')
      .description('cancel, retry or promote every task of a queue a filter matches; counts only, unless --yes')
      .argument('<action>', bulkActions.join(', '))
      .requiredOption('--queue <queue>', 'the queue')
      .option('--yes', 'act (without it, only count the tasks the action would apply to)'),
  ).action(async (actionName: string, flags: FilterFlags & { queue: string; yes?: boolean }, command: Command) => {
    const taskctl = Taskctl.of(command);
    const action = oneOf('<action>', actionName, bulkActions);
    const filter = { queue: flags.queue, ...filterOf(flags) };
    const count = await taskctl.api.call('tasks.bulk', { body: { filter, action, dryRun: true } });
    if (!flags.yes) {
      taskctl.output.result(count, () => `${count.matched}${count.more ? ' or more' : ''} tasks match; run again with --yes to ${action} them`);
      return;
    }
    const bar = process.stderr.isTTY && count.matched > 0 ? new SingleBar({ stream: process.stderr, format: `${action} [{bar}] {value}/{total} tasks`, hideCursor: true }) : undefined;
    bar?.start(count.matched, 0);
    let applied = 0;
    let matched = 0;
    let requests = 0;
    try {
      // The agent acts on at most 50 000 tasks a request and says `more`; stop too when a round changes nothing.
      for (;;) {
        const round = await taskctl.api.call('tasks.bulk', { body: { filter, action, dryRun: false } });
        requests += 1;
        applied += round.applied;
        matched += round.matched;
        bar?.setTotal(Math.max(count.matched, applied));
        bar?.update(applied);
        if (!round.more || round.applied === 0) break;
      }
    } finally {
      bar?.stop();
    }
    taskctl.output.result({ dryRun: false, matched, applied, more: false, requests }, () => `${action}: ${applied} of ${matched} matching tasks changed`);
  });
}

function withFilterFlags(command: Command): Command {
  return command
    .option('--type <types...>', 'only these task types (space or comma separated)')
    .option('--state <states...>', `only these states: ${taskStates.join(', ')}`)
    .option('--since <time>', "the task's latest event at or after: epoch ms, ISO 8601, or a duration ago (2h)")
    .option('--until <time>', 'and at or before, same forms')
    .option('--text <text>', "text in the payload or the last error's message (any case)");
}

function filterOf(flags: FilterFlags) {
  const list = (values: string[] | undefined) => values?.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  const states = list(flags.state)?.map((state) => oneOf('--state', state, taskStates));
  if (states?.length === 0) throw new UsageError('--state: give at least one state');
  return defined({
    types: list(flags.type),
    states,
    since: flags.since === undefined ? undefined : instant('--since', flags.since, 'ago'),
    until: flags.until === undefined ? undefined : instant('--until', flags.until, 'ago'),
    text: flags.text,
  });
}
