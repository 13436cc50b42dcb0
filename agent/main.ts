#!/usr/bin/env node
/**
 * The `switchyard` command. Entry only: parse, call `start`, wire signals. A bad setting exits 2
 * with one line naming it; a failure after start exits 1.
 */
import { Command, Option } from 'commander';
import { registerUserCommand } from './cli/userCommand.js';
import { readAgentConfig } from './config/agentConfig.js';
import { ConfigError } from './config/ConfigError.js';
import { start } from './start.js';

const program = new Command('switchyard').description('Switchyard: background work on your own servers').showHelpAfterError();
program.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command('agent')
  .description('run the agent: queues, workers, records and the HTTP API')
  .option('--redis <url>', 'Redis URL (REDIS_URL); default redis://127.0.0.1:6379')
  .option('--redis-prefix <prefix>', 'prefix of every Redis key (SWITCHYARD_REDIS_PREFIX); default sy')
  .option('--database <url>', 'PostgreSQL URL (DATABASE_URL); default postgres://postgres@127.0.0.1:5432/switchyard')
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
  .action(async (flags: Record<string, string | boolean | undefined>) => {
    // commander sets `worker: true` when --no-worker is absent; only an explicit flag should win.
    if (flags.worker === true) delete flags.worker;
    const config = readAgentConfig(flags);
    if (!process.env.REDIS_URL && !flags.redis) {
      process.stderr.write('switchyard: no REDIS_URL given; using the local Redis at redis://127.0.0.1:6379 (the embedded mode without Redis is not built yet)\n');
    }
    const agent = await start(config);
    process.stdout.write(`Switchyard agent ${agent.agentId} is running at ${agent.url}\n`);
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
