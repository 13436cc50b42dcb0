import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from './ConfigError.js';

const setting = '--data-dir (SWITCHYARD_DATA_DIR)';

/**
 * Makes sure the data directory exists and is writable, and answers this agent's id, kept there
 * so the agent has the same identity across restarts.
 */
export async function prepareDataDirectory(directory: string): Promise<{ agentId: string }> {
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await access(directory, constants.W_OK);
  } catch (error) {
    throw new ConfigError(setting, `cannot write to ${directory}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const file = join(directory, 'agent-id');
  try {
    return { agentId: (await readFile(file, 'utf8')).trim() };
  } catch {
    const agentId = `agent-${randomBytes(6).toString('hex')}`;
    try {
      await writeFile(file, `${agentId}\n`, { mode: 0o600 });
    } catch (error) {
      throw new ConfigError(setting, `cannot write to ${directory}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return { agentId };
  }
}
