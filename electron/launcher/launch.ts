/**
 * `npm start`: opens the desktop app, which starts the embedded agent as "This computer". Where
 * the app cannot open (`desktopAvailability.ts`: no Electron binary, no display) it prints one
 * line saying why and runs the embedded agent with the web console instead, exactly as
 * `npm start` did before the desktop app: `switchyard agent` from the repository, which prints
 * its URL and, at the first start, the one-time setup token.
 *
 * Either way it first builds `out/` when the sources are newer (`desktopBuild.ts`, a few
 * seconds): the app loads it, and the agent serves its renderer as the web console.
 *
 * Arguments after `npm start --` go to the agent in both cases (the desktop app adds them to the
 * local agent's flags, through `SWITCHYARD_LOCAL_AGENT_FLAGS`). The launcher forwards SIGINT and
 * SIGTERM to its child and exits with the child's exit code.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { repositoryAgentCommand } from '../main/localAgent/localAgentCommand.js';
import { desktopAvailability, fallbackLine } from './desktopAvailability.js';
import { ensureDesktopBuilt } from './desktopBuild.js';

const root = resolve(import.meta.dirname, '..', '..');
const agentFlags = process.argv.slice(2);

function run(command: string, args: string[], environment: NodeJS.ProcessEnv, cwd = root): void {
  const child = spawn(command, args, { cwd, env: environment, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write(`switchyard: could not start ${command}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const availability = desktopAvailability({
  platform: process.platform,
  environment: process.env,
  resolveElectron: () => createRequire(import.meta.url)('electron') as string,
  fileExists: existsSync,
});

if (availability.available) {
  try {
    await ensureDesktopBuilt(root, { output: 'inherit' });
  } catch (error) {
    process.stderr.write(`switchyard: could not build the desktop app: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  run(availability.electronPath, [root], {
    ...process.env,
    // The desktop app runs its local agent with this same Node, from this repository.
    SWITCHYARD_NODE: process.execPath,
    SWITCHYARD_LOCAL_AGENT_FLAGS: JSON.stringify(agentFlags),
  });
} else {
  process.stdout.write(`${fallbackLine(availability.reason)}\n`);
  try {
    if (await ensureDesktopBuilt(root)) process.stdout.write('Built the web console (out/renderer).\n');
  } catch (error) {
    // The agent still starts: its console page then says how to build it.
    process.stderr.write(`switchyard: could not build the web console: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  const agent = repositoryAgentCommand(root, process.execPath);
  run(agent.command, [...agent.args, ...agentFlags], process.env, agent.cwd);
}
