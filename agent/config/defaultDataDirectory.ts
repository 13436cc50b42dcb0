import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user application-data folder: XDG on Linux, Application Support on macOS, APPDATA on Windows. */
export function defaultDataDirectory(environment: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(environment.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Switchyard');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Switchyard');
  return join(environment.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'switchyard');
}
