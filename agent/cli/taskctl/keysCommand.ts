import type { Command } from 'commander';
import { permissions } from '../../../shared/security/permissions.js';
import { apiKeyId } from './lookUp.js';
import { table, time } from './output.js';
import { defined, instant } from './parseOption.js';
import { Taskctl } from './Taskctl.js';

/**
 * `taskctl keys list|create|revoke` (admins). A new key is printed once: the agent keeps only
 * its hash, so it can never be shown again.
 */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('API keys for applications and scripts (admins)');

  keys
    .command('list')
    .description('every key, revoked ones included (never the secrets)')
    .action(async (_flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const answer = await taskctl.api.call('keys.list', {});
      const now = Date.now();
      taskctl.output.result(answer, () =>
        table(
          ['prefix', 'name', 'scopes', 'state', 'created', 'expires', 'last used', 'id'],
          answer.keys.map((key) => [
            key.prefix,
            key.name,
            key.scopes.join(','),
            key.revokedAt !== null ? 'revoked' : key.expiresAt !== null && key.expiresAt <= now ? 'expired' : 'active',
            time(key.createdAt),
            time(key.expiresAt),
            time(key.lastUsedAt),
            key.id,
          ]),
          '(no keys)',
        ),
      );
    });

  keys
    .command('create')
    .description('create a key; it is printed once and never again')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--scope <permissions...>', `what it may do (space or comma separated): ${permissions.join(', ')}`)
    .option('--expires <time>', 'when it stops working: epoch ms, ISO 8601, or a duration from now (90d); default never')
    .action(async (flags: { name: string; scope: string[]; expires?: string }, command: Command) => {
      const taskctl = Taskctl.of(command);
      const scopes = flags.scope.flatMap((scope) => scope.split(',')).map((scope) => scope.trim()).filter((scope) => scope !== '');
      const expiresAt = flags.expires === undefined ? undefined : instant('--expires', flags.expires, 'ahead');
      // The agent checks the scope names and names a bad one (body.scopes[i]).
      const created = await taskctl.api.call('keys.create', { body: { name: flags.name, scopes: scopes as (typeof permissions)[number][], ...defined({ expiresAt }) } });
      taskctl.output.warn('the key is shown only this once (the agent keeps only its hash): store it now');
      taskctl.output.result(created, () => `${created.key}\n`);
      if (!taskctl.output.json) taskctl.output.note(`created key ${created.apiKey.prefix} (${created.apiKey.name}) with ${created.apiKey.scopes.join(', ')}`);
    });

  keys
    .command('revoke')
    .description('revoke a key at once (it is kept, revoked, for the record)')
    .argument('<key>', 'the key id or its prefix')
    .action(async (given: string, _flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const id = await apiKeyId(taskctl.api, given);
      await taskctl.api.call('keys.revoke', { params: { id } });
      taskctl.output.result({ revoked: { key: id } }, () => `revoked key ${given}`);
    });
}
