#!/usr/bin/env node
/**
 * The `switchyard` command. Entry only: parse, call `start`, wire signals. A bad setting exits 2
 * with one line naming it; a failure after start exits 1.
 */
import { Command, Option } from 'commander';
import { registerUserCommand } from './cli/userCommand.js';
import { readAgentConfig } from './config/agentConfig.js';
import { ConfigError } from './config/ConfigError.js';
import { start, type Agent } from './start.js';

const program = new Command('switchyard').description('Switchyard: background work on your own servers').showHelpAfterError();
program.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command('agent')
  .description('run the agent: queues, workers, records and the HTTP API')
  .option('--redis <url>', 'Redis URL (REDIS_URL); default none: queues on the postgres engine, coordination in-process')
  .option('--redis-prefix <prefix>', 'prefix of every Redis key (SWITCHYARD_REDIS_PREFIX); default sy')
  .option('--database <url>', 'PostgreSQL URL (DATABASE_URL); default none: embedded PGlite in the data folder')
  .option('--host <host>', 'address to listen on (HOST); default 127.0.0.1')
  .option('--port <port>', 'port to listen on, 0 for any (PORT); default 7700')
  .option('--handlers <dir>', 'folder of your handler modules (SWITCHYARD_HANDLERS)')
  .option('--data-dir <dir>', 'data folder (SWITCHYARD_DATA_DIR); default the per-user application-data folder')
  .option('--concurrency <n>', 'tasks run at once per queue (SWITCHYARD_CONCURRENCY); default 50')
  .option('--drain-ms <ms>', 'how long shutdown waits for running tasks (SWITCHYARD_DRAIN_MS); default 30000')
  .addOption(new Option('--log-level <level>', 'log level (LOG_LEVEL); default info'))
  .option('--no-worker', 'run no tasks in this agent (SWITCHYARD_WORKER=false)')
  .option('--cors-origins <origins>', 'comma-separated browser origins allowed to call the API (SWITCHYARD_CORS_ORIGINS); default none')
  .option('--body-limit <bytes>', 'largest request body (SWITCHYARD_BODY_LIMIT); default 16777216')
  .option('--api-key-rate-limit <n>', 'requests per second per API key, 0 for none (SWITCHYARD_API_KEY_RATE_LIMIT); default 200')
  .option('--access-token-ttl <seconds>', 'lifetime of an access token (SWITCHYARD_ACCESS_TOKEN_TTL); default 900')
  .action(async (flags: Record<string, string | boolean | undefined>) => {
    // commander sets `worker: true` when --no-worker is absent; only an explicit flag should win.
    if (flags.worker === true) delete flags.worker;
    const config = readAgentConfig(flags);
    const agent = await start(config);
    process.stdout.write(welcome(agent));
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`switchyard: ${signal} received; draining (up to ${config.drainMs} ms)\n`);
      void agent.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });

registerUserCommand(program);

/** The lines a person at the terminal reads at start, between the JSON log lines. */
function welcome(agent: Agent): string {
  const { storage, coordination, engines } = agent.info();
  const mode = storage === 'pglite' && coordination === 'in-process' ? 'embedded: records in PGlite, queues on the postgres engine' : `storage ${storage}, engines ${engines.join(' and ')}, coordination ${coordination}`;
  const lines = [`Switchyard agent ${agent.agentId} is running at ${agent.url} (${mode})`];
  if (agent.setupToken) {
    lines.push(
      `No users yet. Create the first admin with this one-time setup token: ${agent.setupToken}`,
      `  (POST ${agent.url}/api/v1/setup with {"token", "username", "password"}, or ${storage === 'pglite' ? 'stop the agent and ' : ''}run \`switchyard user create --role admin\`)`,
    );
  }
  return `${lines.join('\n')}\n`;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`switchyard: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
