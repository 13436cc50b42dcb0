/**
 * How the desktop app starts the embedded agent. electron/ never imports agent/ source, so the
 * agent runs as its own process:
 *
 * - packaged app: Electron's own binary as Node (`ELECTRON_RUN_AS_NODE=1`) running the built
 *   `dist/agent/main.js`, which the installer ships beside the app (`resources/agent/`);
 * - from the repository: Node with tsx running `agent/main.ts`, exactly as `npm start` did before
 *   the desktop app. The Node binary is `SWITCHYARD_NODE` (the launcher sets it to the Node that
 *   ran `npm start`), else `node` on the PATH.
 */
import { join } from 'node:path';

/** A program, its leading arguments (up to and including the `agent` command), and its environment. */
export interface LocalAgentCommand {
  command: string;
  args: string[];
  /** Added to the app's environment. */
  env?: Record<string, string>;
  cwd?: string;
}

export interface LocalAgentCommandOptions {
  /** `app.isPackaged`. */
  packaged: boolean;
  /** `process.execPath`: the Electron binary. */
  execPath: string;
  /** `process.resourcesPath` of a packaged app. */
  resourcesPath: string;
  /** The repository root when not packaged (`app.getAppPath()`). */
  appPath: string;
  /** Where `SWITCHYARD_NODE` is read. Default `process.env`. */
  environment?: NodeJS.ProcessEnv;
}

export function localAgentCommand(options: LocalAgentCommandOptions): LocalAgentCommand {
  if (options.packaged) {
    return {
      command: options.execPath,
      args: [join(options.resourcesPath, 'agent', 'main.js'), 'agent'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
      cwd: options.resourcesPath,
    };
  }
  return repositoryAgentCommand(options.appPath, (options.environment ?? process.env)['SWITCHYARD_NODE'] ?? 'node');
}

/** `node --import tsx agent/main.ts agent`, run in the repository at `root`. */
export function repositoryAgentCommand(root: string, node: string): LocalAgentCommand {
  return { command: node, args: ['--import', 'tsx', join(root, 'agent', 'main.ts'), 'agent'], cwd: root };
}
