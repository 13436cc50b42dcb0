import type { Command } from 'commander';
import type { ResponseOf } from '../../../shared/api/client.js';
import { engineKinds } from '../../../shared/queue.js';
import { fields, span, table } from './output.js';
import { defined, oneOf, rateLimit, wholeNumber, wholeNumberOrNone } from './parseOption.js';
import { Taskctl } from './Taskctl.js';

type QueueSummary = ResponseOf<'queues.get'>;

interface SettingFlags {
  concurrency?: string;
  rateLimit?: string;
  maxPayloadBytes?: string;
  dedupWindowMs?: string;
  retentionPayload?: string;
  retentionMaxAgeMs?: string;
  retentionMaxCount?: string;
}

/** `taskctl queues list|get|create|update|pause|resume|drain|delete`. */
export function registerQueuesCommand(program: Command): void {
  const queues = program.command('queues').description('list, create, change, pause, resume, drain and delete queues');

  queues
    .command('list')
    .description('every queue with live counts')
    .action(async (_flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const answer = await taskctl.api.call('queues.list', {});
      taskctl.output.result(answer, () =>
        table(
          ['name', 'engine', 'state', 'scheduled', 'queued', 'active', 'failed', 'succeeded', 'dead', 'cancelled'],
          answer.queues.map(({ definition, paused, counts }) => [
            definition.name,
            definition.engine,
            paused ? 'paused' : 'running',
            counts.scheduled,
            counts.queued,
            counts.active,
            counts.failed,
            counts.succeeded,
            counts.dead,
            counts.cancelled,
          ]),
          '(no queues)',
        ),
      );
    });

  queues
    .command('get')
    .description('one queue: settings and live counts')
    .argument('<name>')
    .action(async (name: string, _flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const queue = await taskctl.api.call('queues.get', { params: { name } });
      taskctl.output.result(queue, () => describeQueue(queue));
    });

  withSettingFlags(
    queues
      .command('create')
      .description('create a queue (every setting but the name has a default)')
      .argument('<name>')
      .option('--engine <engine>', `where its tasks live: ${engineKinds.join(' or ')} (default: the agent's, redis when it has Redis, else postgres)`),
  ).action(async (name: string, flags: SettingFlags & { engine?: string }, command: Command) => {
    const taskctl = Taskctl.of(command);
    const engine = flags.engine === undefined ? undefined : oneOf('--engine', flags.engine, engineKinds);
    const queue = await taskctl.api.call('queues.create', { body: { name, ...defined({ engine }), ...settingsOf(flags) } });
    taskctl.output.result(queue, () => `created queue ${queue.definition.name} (${queue.definition.engine})`);
  });

  withSettingFlags(queues.command('update').description("change a queue's settings (the engine is fixed)").argument('<name>')).action(
    async (name: string, flags: SettingFlags, command: Command) => {
      const taskctl = Taskctl.of(command);
      const queue = await taskctl.api.call('queues.update', { params: { name }, body: settingsOf(flags) });
      taskctl.output.result(queue, () => `updated queue ${name}\n${describeQueue(queue)}`);
    },
  );

  queues
    .command('pause')
    .description('stop handing out tasks (enqueues still land)')
    .argument('<name>')
    .action(async (name: string, _flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const queue = await taskctl.api.call('queues.pause', { params: { name } });
      taskctl.output.result(queue, () => `paused queue ${name} (${queue.counts.active} tasks still active)`);
    });

  queues
    .command('resume')
    .description('hand out tasks again')
    .argument('<name>')
    .action(async (name: string, _flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const queue = await taskctl.api.call('queues.resume', { params: { name } });
      taskctl.output.result(queue, () => `resumed queue ${name}`);
    });

  queues
    .command('drain')
    .description('cancel every waiting task (queued, scheduled, backing off); running ones finish')
    .argument('<name>')
    .action(async (name: string, _flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      let cancelled = 0;
      // The agent cancels a bounded number per request and says `more`: send it again until it does not.
      for (;;) {
        const round = await taskctl.api.call('queues.drain', { params: { name } });
        cancelled += round.cancelled;
        if (!round.more || round.cancelled === 0) break;
      }
      taskctl.output.result({ cancelled, more: false }, () => `drained queue ${name}: cancelled ${cancelled} waiting task${cancelled === 1 ? '' : 's'}`);
    });

  queues
    .command('delete')
    .description('delete a queue and all its tasks (refused while tasks are active, unless --force)')
    .argument('<name>')
    .option('--force', "delete even while tasks are active (their workers' acknowledgements will be refused)")
    .action(async (name: string, flags: { force?: boolean }, command: Command) => {
      const taskctl = Taskctl.of(command);
      await taskctl.api.call('queues.delete', { params: { name }, query: flags.force ? { force: 'true' } : {} });
      taskctl.output.result({ deleted: { queue: name } }, () => `deleted queue ${name}`);
    });
}

function withSettingFlags(command: Command): Command {
  return command
    .option('--concurrency <n>', 'most tasks active at once across all workers, or none')
    .option('--rate-limit <max/interval>', 'at most <max> tasks start per <interval> (100/1s, 100/1000 in ms), or none')
    .option('--max-payload-bytes <n>', 'largest payload accepted, in bytes')
    .option('--dedup-window-ms <ms>', 'how long an idempotency key deduplicates enqueues')
    .option('--retention-payload <which>', 'payloads kept in history: all, failed or none')
    .option('--retention-max-age-ms <ms>', 'history older than this is deleted')
    .option('--retention-max-count <n>', 'at most this many history rows are kept');
}

/** The request members for the setting flags given (and only those). */
function settingsOf(flags: SettingFlags) {
  const retention = defined({
    payload: flags.retentionPayload === undefined ? undefined : oneOf('--retention-payload', flags.retentionPayload, ['all', 'failed', 'none'] as const),
    maxAgeMs: flags.retentionMaxAgeMs === undefined ? undefined : wholeNumber('--retention-max-age-ms', flags.retentionMaxAgeMs),
    maxCount: flags.retentionMaxCount === undefined ? undefined : wholeNumber('--retention-max-count', flags.retentionMaxCount),
  });
  return defined({
    concurrency: flags.concurrency === undefined ? undefined : wholeNumberOrNone('--concurrency', flags.concurrency),
    rateLimit: flags.rateLimit === undefined ? undefined : rateLimit('--rate-limit', flags.rateLimit),
    maxPayloadBytes: flags.maxPayloadBytes === undefined ? undefined : wholeNumber('--max-payload-bytes', flags.maxPayloadBytes),
    deduplicationWindowMs: flags.dedupWindowMs === undefined ? undefined : wholeNumber('--dedup-window-ms', flags.dedupWindowMs),
    retention: Object.keys(retention).length > 0 ? retention : undefined,
  });
}

function describeQueue({ definition, paused, counts }: QueueSummary): string {
  return fields([
    ['name', definition.name],
    ['engine', definition.engine],
    ['state', paused ? 'paused' : 'running'],
    ['concurrency', definition.concurrency ?? 'no limit'],
    ['rate limit', definition.rateLimit ? `${definition.rateLimit.max} per ${span(definition.rateLimit.intervalMs)}` : 'none'],
    ['max payload', `${definition.maxPayloadBytes} bytes`],
    ['dedup window', span(definition.deduplicationWindowMs)],
    ['retention', `payloads: ${definition.retention.payload}; ${span(definition.retention.maxAgeMs)}; at most ${definition.retention.maxCount} rows`],
    ['counts', Object.entries(counts).map(([state, count]) => `${state} ${count}`).join(', ')],
  ]);
}
