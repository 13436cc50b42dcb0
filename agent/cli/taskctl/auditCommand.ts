import type { Command } from 'commander';
import { table, time } from './output.js';
import { defined, instant, wholeNumber } from './parseOption.js';
import { Taskctl } from './Taskctl.js';

/** `taskctl audit list`: the audit log, newest first, a page at a time. */
export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('the audit log of every change (admins)');

  audit
    .command('list')
    .description('entries newest first; --cursor continues where a page ended')
    .option('--action <action>', 'only this action, e.g. queues.create')
    .option('--actor <id>', 'only changes by this user or key id')
    .option('--since <time>', 'from this time: epoch ms, ISO 8601, or a duration ago (2h, 7d)')
    .option('--until <time>', 'up to this time, same forms')
    .option('--limit <n>', 'entries per page (1 to 1000; the agent defaults to 100)')
    .option('--cursor <cursor>', 'the next page, as the last page said')
    .action(async (flags: { action?: string; actor?: string; since?: string; until?: string; limit?: string; cursor?: string }, command: Command) => {
      const taskctl = Taskctl.of(command);
      const query = defined({
        action: flags.action,
        actorId: flags.actor,
        since: flags.since === undefined ? undefined : instant('--since', flags.since, 'ago'),
        until: flags.until === undefined ? undefined : instant('--until', flags.until, 'ago'),
        limit: flags.limit === undefined ? undefined : wholeNumber('--limit', flags.limit),
        cursor: flags.cursor,
      });
      const page = await taskctl.api.call('audit.list', { query });
      taskctl.output.result(page, () => {
        const rows = table(
          ['at', 'actor', 'role', 'action', 'target', 'address'],
          page.entries.map((entry) => [time(entry.at), `${entry.actor.name} (${entry.actor.kind})`, entry.actor.role, entry.action, entry.target, entry.address]),
          '(no entries)',
        );
        return page.nextCursor ? `${rows}\n\nmore entries: run again with the same filters and --cursor ${page.nextCursor}` : rows;
      });
    });
}
