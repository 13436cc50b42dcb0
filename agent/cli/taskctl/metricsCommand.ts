import type { Command } from 'commander';
import { metricResolutions } from '../../../shared/api/schemas/metrics.js';
import { span, table, time } from './output.js';
import { defined, instant, oneOf } from './parseOption.js';
import { Taskctl } from './Taskctl.js';

/** `taskctl metrics overview|queue`: the rolling metrics history the agent keeps of each queue. */
export function registerMetricsCommand(program: Command): void {
  const metrics = program.command('metrics').description("queues' throughput, depth, queue wait and run time");

  metrics
    .command('overview')
    .description('every queue with its latest second')
    .action(async (_flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const answer = await taskctl.api.call('metrics.overview', {});
      taskctl.output.result(answer, () =>
        table(
          ['queue', 'at', 'depth', 'active', 'enqueued', 'succeeded', 'failed', 'wait p95', 'run p95'],
          answer.queues.map(({ name, latest }) =>
            latest
              ? [name, time(latest.at), latest.depth, latest.active, latest.enqueued, latest.succeeded, latest.failed, milliseconds(latest.waitP95), milliseconds(latest.runP95)]
              : [name, 'nothing in the last hour'],
          ),
          '(no queues)',
        ),
      );
    });

  metrics
    .command('queue')
    .description("a queue's history: a point per second (last hour) or per minute (last week)")
    .argument('<name>')
    .option('--resolution <resolution>', `${metricResolutions.join(' or ')} (default second)`)
    .option('--since <time>', 'from: epoch ms, ISO 8601, or a duration ago (default 15 minutes of seconds, a day of minutes)')
    .option('--until <time>', 'to, same forms (default now)')
    .action(async (name: string, flags: { resolution?: string; since?: string; until?: string }, command: Command) => {
      const taskctl = Taskctl.of(command);
      const query = defined({
        resolution: flags.resolution === undefined ? undefined : oneOf('--resolution', flags.resolution, metricResolutions),
        since: flags.since === undefined ? undefined : instant('--since', flags.since, 'ago'),
        until: flags.until === undefined ? undefined : instant('--until', flags.until, 'ago'),
      });
      const answer = await taskctl.api.call('metrics.queue', { params: { name }, query });
      taskctl.output.result(answer, () =>
        table(
          ['at', 'enqueued', 'succeeded', 'failed', 'dead', 'depth', 'active', 'wait p50', 'wait p95', 'run p50', 'run p95'],
          answer.points.map((point) => [
            time(point.at),
            point.enqueued,
            point.succeeded,
            point.failed,
            point.dead,
            point.depth,
            point.active,
            milliseconds(point.waitP50),
            milliseconds(point.waitP95),
            milliseconds(point.runP50),
            milliseconds(point.runP95),
          ]),
          '(no points in that range)',
        ),
      );
    });
}

function milliseconds(value: number | null): string {
  return value === null ? '-' : span(value);
}
