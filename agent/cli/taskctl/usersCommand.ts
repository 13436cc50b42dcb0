import type { Command } from 'commander';
import { roles } from '../../../shared/security/permissions.js';
import { UsageError } from './errors.js';
import { userId } from './lookUp.js';
import { table, time } from './output.js';
import { defined, oneOf } from './parseOption.js';
import { Taskctl } from './Taskctl.js';
import { readPassword } from './terminalInput.js';

/**
 * `taskctl users list|create|update|delete` (admins). Users are named by username or id.
 * Passwords are typed without echo, or the first line of stdin with `--password-stdin`.
 */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('manage who may sign in, and their roles (admins)');

  users
    .command('list')
    .description('every user with role and state')
    .action(async (_flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const answer = await taskctl.api.call('users.list', {});
      taskctl.output.result(answer, () =>
        table(
          ['username', 'role', 'state', 'created', 'password changed', 'id'],
          answer.users.map((user) => [user.username, user.role, user.disabled ? 'disabled' : 'enabled', time(user.createdAt), time(user.passwordChangedAt), user.id]),
        ),
      );
    });

  users
    .command('create')
    .description('create a user (the password is asked twice, or read from stdin with --password-stdin)')
    .requiredOption('--username <name>', '1 to 64 letters, digits, ., _, - or @')
    .requiredOption('--role <role>', roles.join(', '))
    .option('--password-stdin', 'read the password from the first line of stdin')
    .action(async (flags: { username: string; role: string; passwordStdin?: boolean }, command: Command) => {
      const taskctl = Taskctl.of(command);
      const role = oneOf('--role', flags.role, roles);
      const password = await readPassword(flags.passwordStdin === true, { confirm: true });
      const user = await taskctl.api.call('users.create', { body: { username: flags.username, password, role } });
      taskctl.output.result(user, () => `created user ${user.username} (${user.role}), id ${user.id}`);
    });

  users
    .command('update')
    .description("change a user's role, password, or disabled flag (a new password or disabling signs them out everywhere)")
    .argument('<user>', 'username or id')
    .option('--role <role>', roles.join(', '))
    .option('--disable', 'refuse their sign-ins and end their sessions')
    .option('--enable', 'let them sign in again')
    .option('--password', 'set a new password, asked twice on the terminal')
    .option('--password-stdin', 'set a new password, read from the first line of stdin')
    .action(async (given: string, flags: { role?: string; disable?: boolean; enable?: boolean; password?: boolean; passwordStdin?: boolean }, command: Command) => {
      const taskctl = Taskctl.of(command);
      if (flags.disable && flags.enable) throw new UsageError('--disable and --enable: give one');
      const role = flags.role === undefined ? undefined : oneOf('--role', flags.role, roles);
      const disabled = flags.disable ? true : flags.enable ? false : undefined;
      const password = flags.password || flags.passwordStdin ? await readPassword(flags.passwordStdin === true, { label: 'new password', confirm: true }) : undefined;
      if (role === undefined && disabled === undefined && password === undefined) throw new UsageError('nothing to change: give --role, --disable, --enable, --password or --password-stdin');
      const user = await taskctl.api.call('users.update', { params: { id: await userId(taskctl.api, given) }, body: defined({ role, disabled, password }) });
      taskctl.output.result(user, () => `updated user ${user.username}: ${user.role}, ${user.disabled ? 'disabled' : 'enabled'}`);
    });

  users
    .command('delete')
    .description('delete a user (their API keys stay, without an owner)')
    .argument('<user>', 'username or id')
    .action(async (given: string, _flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const id = await userId(taskctl.api, given);
      await taskctl.api.call('users.delete', { params: { id } });
      taskctl.output.result({ deleted: { user: id } }, () => `deleted user ${given}`);
    });
}
