import type { Command } from 'commander';
import { ApiError } from '../../../shared/api/ApiError.js';
import type { Session } from '../../../shared/api/schemas/auth.js';
import type { ChosenStore } from './chooseCredentialStore.js';
import { accountOf, usernameOf } from './CredentialStore.js';
import { UsageError } from './errors.js';
import { fields, time } from './output.js';
import { withRefreshLock } from './refreshLock.js';
import { Taskctl } from './Taskctl.js';
import { promptVisible, readLines, readPassword } from './terminalInput.js';

/**
 * `taskctl login`, `logout`, `whoami`, `setup` (the first admin) and `password` (your own).
 * Login and setup store the refresh token — never the password, never the access token — in the
 * credential store under `<url>|<username>`; every later command trades it for an access token
 * (see StoredLogin.ts). Logout revokes the sign-in at the agent (`auth.logout`) and deletes the
 * stored token.
 */
export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('sign in; the refresh token is kept in the OS keychain (or, failing that, a 0600 file)')
    .option('--username <name>', 'who to sign in as (asked on the terminal when omitted)')
    .option('--password-stdin', 'read the password from the first line of stdin instead of asking for it')
    .action(async (flags: { username?: string; passwordStdin?: boolean }, command: Command) => {
      const taskctl = Taskctl.of(command);
      const username = flags.username ?? (await promptVisible('username: ', '--username'));
      if (username === '') throw new UsageError('--username: must not be empty');
      const password = await readPassword(flags.passwordStdin === true);
      // Choose the store first: a keychain that cannot be used should fail before a sign-in is made.
      const chosen = await taskctl.credentials();
      const session = await taskctl.anonymous.call('auth.login', { body: { username, password } });
      await keepSession(taskctl, chosen, session);
    });

  program
    .command('setup')
    .description('create the first admin with the setup token a new agent printed, and sign in as them')
    .requiredOption('--token <token>', "the one-time setup token from the agent's log")
    .requiredOption('--username <name>', "the first admin's username")
    .option('--password-stdin', 'read the password from the first line of stdin instead of asking for it twice')
    .action(async (flags: { token: string; username: string; passwordStdin?: boolean }, command: Command) => {
      const taskctl = Taskctl.of(command);
      const password = await readPassword(flags.passwordStdin === true, { confirm: true });
      const chosen = await taskctl.credentials();
      const session = await taskctl.anonymous.call('setup.createAdmin', { body: { token: flags.token, username: flags.username, password } });
      await keepSession(taskctl, chosen, session);
    });

  program
    .command('password')
    .description('change your own password; every sign-in of yours ends, this one too')
    .option('--password-stdin', 'read the current password from the first line of stdin and the new one from the second')
    .action(async (flags: { passwordStdin?: boolean }, command: Command) => {
      const taskctl = Taskctl.of(command);
      const [currentPassword, newPassword] = flags.passwordStdin
        ? await readLines(2)
        : [await readPassword(false, { label: 'current password' }), await readPassword(false, { label: 'new password', confirm: true })];
      if (!newPassword) throw new UsageError('--password-stdin: give the current password on the first line and the new one on the second');
      await taskctl.api.call('auth.changePassword', { body: { currentPassword: currentPassword!, newPassword } });
      // The agent has ended every sign-in of this user: the stored token is dead.
      const forgotten = taskctl.apiKey ? undefined : await forgetStoredLogin(taskctl);
      taskctl.output.result({ changed: true, signedOut: true }, () => `password changed; every sign-in has ended${forgotten ? `: run taskctl login --username ${forgotten}` : ''}`);
    });

  program
    .command('logout')
    .description('end the stored sign-in at the agent and delete its refresh token')
    .action(async (_flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const { store } = await taskctl.credentials();
      const account = await (await taskctl.login()).account();
      const username = usernameOf(account, taskctl.url);
      let revoked = false;
      await withRefreshLock(taskctl.lockPath, async () => {
        const refreshToken = await store.get(account);
        if (refreshToken) {
          try {
            await taskctl.anonymous.call('auth.logout', { body: { refreshToken } });
            revoked = true;
          } catch (error) {
            // A token the agent no longer honours is as good as revoked; anything else (the agent
            // unreachable) keeps it, so logout can be tried again.
            if (!(error instanceof ApiError && error.status < 500)) throw error;
          }
        }
        await store.delete(account);
      });
      taskctl.output.result({ url: taskctl.url, username, revoked }, () => `signed out of ${taskctl.url} (${username})`);
    });

  program
    .command('whoami')
    .description('who the agent sees you as: user or API key, role and permissions')
    .action(async (_flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const me = await taskctl.api.call('auth.me', {});
      taskctl.output.result(me, () =>
        fields([
          ['name', me.name],
          ['kind', me.kind === 'apiKey' ? 'API key' : 'user'],
          ['id', me.id],
          ['role', me.role],
          ['permissions', me.permissions.join(', ')],
          ['agent', taskctl.url],
        ]),
      );
    });
}

/** Stores a new sign-in's refresh token (ending an older sign-in of the same user) and reports it. */
async function keepSession(taskctl: Taskctl, { store, fallbackReason }: ChosenStore, session: Session): Promise<void> {
  const account = accountOf(taskctl.url, session.user.username);
  await withRefreshLock(taskctl.lockPath, async () => {
    const previous = await store.get(account);
    await store.set(account, session.refreshToken);
    // A login over an older one of the same user ends the older sign-in, so no live token is left orphaned.
    if (previous) await taskctl.anonymous.call('auth.logout', { body: { refreshToken: previous } }).catch(() => undefined);
  });
  if (fallbackReason) {
    taskctl.output.warn(`${fallbackReason}; the refresh token is stored in ${store.location} (mode 0600): whoever can read that file can act as ${session.user.username}`);
  }
  taskctl.output.result(
    {
      url: taskctl.url,
      user: session.user,
      credentials: { store: fallbackReason ? 'file' : 'keychain', location: store.location },
      accessTokenExpiresAt: session.accessTokenExpiresAt,
      refreshTokenExpiresAt: session.refreshTokenExpiresAt,
    },
    () =>
      `signed in to ${taskctl.url} as ${session.user.username} (${session.user.role}); the sign-in is kept in ${store.location} until ${time(session.refreshTokenExpiresAt)} or taskctl logout`,
  );
}

/** Deletes the stored sign-in this command used; answers its username. */
async function forgetStoredLogin(taskctl: Taskctl): Promise<string | undefined> {
  const { store } = await taskctl.credentials();
  const account = await (await taskctl.login()).account();
  await withRefreshLock(taskctl.lockPath, () => store.delete(account));
  return usernameOf(account, taskctl.url);
}
