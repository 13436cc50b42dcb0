import { Command, Option } from 'commander';
import { registerAuditCommand } from './auditCommand.js';
import { registerDlqCommand } from './dlqCommand.js';
import { credentialSettings } from './chooseCredentialStore.js';
import { registerKeysCommand } from './keysCommand.js';
import { registerLoginCommand } from './loginCommand.js';
import { registerMetricsCommand } from './metricsCommand.js';
import { registerQueuesCommand } from './queuesCommand.js';
import { registerSchedulesCommand } from './schedulesCommand.js';
import { defaultAgentUrl } from './Taskctl.js';
import { registerTasksCommand } from './tasksCommand.js';
import { registerTaskTriageCommands } from './taskTriageCommands.js';
import { registerUsersCommand } from './usersCommand.js';
import { registerWorkersCommand } from './workersCommand.js';

/**
 * The `taskctl` program: global options and every command group. Errors are not printed or
 * turned into exits here — commander throws (exitOverride) and `main.ts` maps every failure to
 * one line (or `{"error":…}` with --json) and an exit code.
 */
export function taskctlProgram(): Command {
  const program = new Command('taskctl')
    .description('Switchyard from the terminal and scripts: queues, tasks, dead letters, workers, schedules, metrics, users, keys, the audit log')
    .addOption(new Option('--url <url>', `the agent (SWITCHYARD_URL); default ${defaultAgentUrl}`))
    .addOption(new Option('--api-key <key>', 'act with this API key instead of the stored sign-in (SWITCHYARD_API_KEY, which keeps it out of the shell history)'))
    .addOption(new Option('--user <username>', 'which stored sign-in to use when several users are signed in to the agent (SWITCHYARD_USER)'))
    .addOption(new Option('--credentials <store>', 'where sign-ins are kept (SWITCHYARD_CREDENTIALS): auto, keychain or file; default auto').choices(credentialSettings))
    .addOption(new Option('--timeout <seconds>', 'how long to wait for each answer of the agent (SWITCHYARD_TIMEOUT); default 120'))
    .option('--json', 'print the answer as one JSON object on stdout (errors too, as {"error":{…}})')
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true);

  registerLoginCommand(program);
  registerQueuesCommand(program);
  registerTaskTriageCommands(registerTasksCommand(program));
  registerDlqCommand(program);
  registerWorkersCommand(program);
  registerSchedulesCommand(program);
  registerMetricsCommand(program);
  registerUsersCommand(program);
  registerKeysCommand(program);
  registerAuditCommand(program);
  return program;
}
