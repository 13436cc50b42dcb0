import type { Command } from 'commander';
import { span, table, time } from './output.js';
import { Taskctl } from './Taskctl.js';

/** `taskctl workers list|drain|stop`. */
export function registerWorkersCommand(program: Command): void {
  const workers = program.command('workers').description('the workers claiming tasks, and queues nobody consumes');

  workers
    .command('list')
    .description('every worker with its heartbeat age and slots in use')
    .action(async (_flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const answer = await taskctl.api.call('workers.list', {});
      taskctl.output.result(answer, () => {
        const rows = table(
          ['id', 'kind', 'host', 'pid', 'queues', 'slots', 'heartbeat', 'started'],
          answer.workers.map((worker) => [
            worker.id,
            worker.kind,
            worker.host,
            worker.pid,
            worker.queues.join(','),
            `${worker.slotsInUse}/${worker.slots}`,
            `${span(worker.heartbeatAgeMs)} ago`,
            time(worker.startedAt),
          ]),
          '(no workers)',
        );
        const idle = answer.queuesWithoutWorkers.length > 0 ? `\n\nqueues without workers (their tasks wait): ${answer.queuesWithoutWorkers.join(', ')}` : '';
        return `${rows}${idle}`;
      });
    });

  for (const [name, description] of [
    ['drain', 'ask a worker to stop claiming, finish its running tasks, then stop'],
    ['stop', 'ask a worker to stop now, giving its running tasks back to the queue'],
  ] as const) {
    workers
      .command(name)
      .description(description)
      .argument('<id>', 'the worker id, as workers list shows it')
      .action(async (id: string, _flags: unknown, command: Command) => {
        const taskctl = Taskctl.of(command);
        const answer = await taskctl.api.call(name === 'drain' ? 'workers.drain' : 'workers.stop', { params: { id } });
        taskctl.output.result(answer, () => `asked worker ${answer.id} to ${name}`);
      });
  }
}
