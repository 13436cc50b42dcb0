import type { Command } from 'commander';
import type { ResponseOf } from '../../../shared/api/client.js';
import { shorten, table, time } from './output.js';
import { defined, jsonValue, wholeNumber } from './parseOption.js';
import { UsageError } from './errors.js';
import { Taskctl } from './Taskctl.js';

type Requeued = ResponseOf<'deadLetters.requeue'>['requeued'];

/** `taskctl dlq groups|list|requeue|purge`: the dead-letter queue, grouped by error signature. */
export function registerDlqCommand(program: Command): void {
  const dlq = program.command('dlq').description('dead tasks: grouped by error, requeue them, purge them');

  dlq
    .command('groups')
    .description('dead tasks not yet requeued, grouped by error signature, biggest first')
    .option('--queue <queue>', 'only this queue')
    .action(async (flags: { queue?: string }, command: Command) => {
      const taskctl = Taskctl.of(command);
      const answer = await taskctl.api.call('deadLetters.groups', { query: defined({ queue: flags.queue }) });
      taskctl.output.result(answer, () =>
        table(
          ['queue', 'count', 'error', 'types', 'first', 'last', 'signature'],
          answer.groups.map((group) => [group.queue, group.count, shorten(group.title, 60), group.types.join(','), time(group.firstAt), time(group.lastAt), group.signature]),
          '(no dead tasks)',
        ),
      );
    });

  dlq
    .command('list')
    .description('dead tasks of a queue (of one signature), newest first')
    .argument('<queue>')
    .option('--signature <signature>', 'only the tasks of this error group')
    .option('--limit <n>', 'tasks per page (1 to 500)')
    .option('--cursor <cursor>', 'the next page, as the last page said')
    .action(async (queue: string, flags: { signature?: string; limit?: string; cursor?: string }, command: Command) => {
      const taskctl = Taskctl.of(command);
      const limit = flags.limit === undefined ? undefined : wholeNumber('--limit', flags.limit);
      const page = await taskctl.api.call('deadLetters.list', { query: { queue, ...defined({ signature: flags.signature, limit, cursor: flags.cursor }) } });
      taskctl.output.result(page, () => {
        const rows = table(
          ['id', 'type', 'attempts', 'finished', 'error'],
          page.tasks.map((task) => [task.id, task.type, task.attempts, time(task.finishedAt), shorten(task.errorTitle ?? task.error?.message ?? '-', 70)]),
          '(no dead tasks)',
        );
        return page.nextCursor ? `${rows}\n\nmore tasks: run again with the same options and --cursor ${page.nextCursor}` : rows;
      });
    });

  dlq
    .command('requeue')
    .description('run dead tasks again: a whole error group, or one task (optionally with an edited payload)')
    .argument('<queue>')
    .option('--signature <signature>', 'requeue every task of this error group')
    .option('--task <id>', 'requeue this one task')
    .option('--payload <json>', 'with --task: the payload the copy runs with')
    .action(async (queue: string, flags: { signature?: string; task?: string; payload?: string }, command: Command) => {
      const taskctl = Taskctl.of(command);
      if ((flags.signature === undefined) === (flags.task === undefined)) throw new UsageError('give either --signature (a group) or --task (one task)');
      if (flags.payload !== undefined && flags.task === undefined) throw new UsageError('--payload: only with --task');
      const payload = flags.payload === undefined ? undefined : jsonValue('--payload', flags.payload);
      const requeued: Requeued = [];
      // A group bigger than one request's worth answers `more`: send it again until it does not.
      for (;;) {
        const round = await taskctl.api.call('deadLetters.requeue', { body: { queue, ...defined({ signature: flags.signature, taskId: flags.task, payload }) } });
        requeued.push(...round.requeued);
        if (!round.more || round.requeued.length === 0) break;
      }
      taskctl.output.result({ requeued, more: false }, () => `requeued ${requeued.length} task${requeued.length === 1 ? '' : 's'}${requeued.length === 1 ? ` as ${requeued[0]!.to}` : ''}`);
    });

  dlq
    .command('purge')
    .description('delete dead tasks of a queue (of one signature) from history, for good')
    .argument('<queue>')
    .option('--signature <signature>', 'only the tasks of this error group')
    .action(async (queue: string, flags: { signature?: string }, command: Command) => {
      const taskctl = Taskctl.of(command);
      const answer = await taskctl.api.call('deadLetters.purge', { body: { queue, ...defined({ signature: flags.signature }) } });
      taskctl.output.result(answer, () => `purged ${answer.purged} dead task${answer.purged === 1 ? '' : 's'} of ${queue}`);
    });
}
