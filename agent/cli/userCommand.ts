import type { Command } from 'commander';
import { roles, type Role } from '../../shared/security/permissions.js';
import { readAgentConfig } from '../config/agentConfig.js';
import { ConfigError } from '../config/ConfigError.js';
import { connectPostgres } from '../connections/connectPostgres.js';
import { openStorage } from '../connections/openStorage.js';
import { migrate } from '../records/migrate.js';
import { AuditLog } from '../security/AuditLog.js';
import { passwordProblem } from '../security/passwords.js';
import { SecurityInputError } from '../security/SecurityInputError.js';
import { usernameProblem, UserStore } from '../security/UserStore.js';
import { promptHidden, readFirstLine } from './terminal.js';

/**
 * `switchyard user create --username <name> --role <role> [--database <url> | --data-dir <dir>] [--password-stdin]`:
 * creates a user straight in the database, for the server's administrator (a first admin without
 * the setup token, or a way back in when every admin is locked out). The password is read from
 * the first line of stdin with `--password-stdin`, else asked twice on the terminal without echo;
 * it is never a flag, which would leave it in the shell history and the process list. Without a
 * database URL the user goes into the embedded agent's records in its data directory (stop that
 * agent first: embedded PGlite serves one process at a time).
 *
 * A bad input exits 2 with one line naming it (thrown as ConfigError, which `main.ts` reports).
 */
export function registerUserCommand(program: Command): void {
  const user = program.command('user').description('manage the users who sign in to the console and the desktop app');
  user
    .command('create')
    .description('create a user (the password is read from the terminal, or from stdin with --password-stdin)')
    .requiredOption('--username <name>', '1 to 64 letters, digits, ., _, - or @')
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`)
    .option('--database <url>', 'PostgreSQL URL (DATABASE_URL); default the embedded records in the data folder')
    .option('--data-dir <dir>', 'the embedded agent\'s data folder (SWITCHYARD_DATA_DIR), used without --database; default the per-user application-data folder')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .action(async (flags: { username: string; role: string; database?: string; dataDir?: string; passwordStdin?: boolean }) => {
      const role = flags.role as Role;
      if (!roles.includes(role)) throw new ConfigError('--role', `'${flags.role}' must be one of ${roles.join(', ')}`);
      const badName = usernameProblem(flags.username);
      if (badName) throw new ConfigError('--username', badName);
      const config = readAgentConfig({ database: flags.database, dataDir: flags.dataDir });
      const password = flags.passwordStdin ? await readFirstLine() : await promptPassword();
      const weakness = passwordProblem(password);
      if (weakness) throw new ConfigError('password', weakness);

      const storage = await openStorage(config);
      const pool = await connectPostgres(storage.url, quiet, { max: storage.poolSize }).catch(async (error: unknown) => {
        await storage.close();
        throw error;
      });
      try {
        await migrate(pool, { log: quiet });
        const created = await new UserStore(pool).create({ username: flags.username, password, role }).catch((error: unknown) => {
          if (error instanceof SecurityInputError) throw new ConfigError(flagOf(error.field), error.message);
          throw error;
        });
        await new AuditLog(pool).append({
          actor: { kind: 'system', id: 'cli', name: 'switchyard user create', role: null },
          action: 'user.create',
          target: created.id,
          before: null,
          after: created,
          address: null,
        });
        process.stdout.write(`created user ${created.username} (${created.role})\n`);
      } finally {
        await pool.end();
        await storage.close();
      }
    });
}

const quiet = { info: () => undefined };

function flagOf(field: string): string {
  return field === 'username' || field === 'role' ? `--${field}` : field;
}

/** Asks for the password twice on the terminal, without echo. */
async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new ConfigError('--password-stdin', 'stdin is not a terminal to ask for the password on; pipe the password in with --password-stdin');
  }
  const password = await promptHidden('password: ');
  if (passwordProblem(password)) return password;
  if ((await promptHidden('password again: ')) !== password) throw new ConfigError('password', 'the two passwords differ');
  return password;
}
