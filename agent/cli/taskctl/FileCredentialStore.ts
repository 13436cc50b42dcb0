import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CredentialStore } from './CredentialStore.js';
import { TaskctlError } from './errors.js';

/** The file's shape: `{ "version": 1, "refreshTokens": { "<url>|<username>": "<token>" } }`. */
interface CredentialsFile {
  version: 1;
  refreshTokens: Record<string, string>;
}

/**
 * Refresh tokens in a JSON file readable by its owner only (mode 0600, in a 0700 folder): the
 * fallback when no OS keychain can be used. Anyone who can read the file (root, a backup, a
 * process running as you) can act as you until the token expires or you log out.
 *
 * Every write replaces the file atomically (a 0600 temporary file renamed over it), so a crash
 * never leaves half a file; writers are serialised by the caller's refresh lock.
 */
export class FileCredentialStore implements CredentialStore {
  constructor(readonly location: string) {}

  static defaultPath(configDirectory: string): string {
    return join(configDirectory, 'taskctl-credentials.json');
  }

  async get(account: string): Promise<string | undefined> {
    return (await this.read()).refreshTokens[account];
  }

  async set(account: string, refreshToken: string): Promise<void> {
    const file = await this.read();
    file.refreshTokens[account] = refreshToken;
    await this.write(file);
  }

  async delete(account: string): Promise<void> {
    const file = await this.read();
    if (!(account in file.refreshTokens)) return;
    delete file.refreshTokens[account];
    await this.write(file);
  }

  async accounts(): Promise<string[]> {
    return Object.keys((await this.read()).refreshTokens);
  }

  private async read(): Promise<CredentialsFile> {
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, refreshTokens: {} };
      throw new TaskctlError('credentials', `cannot read ${this.location}: ${(error as Error).message}`);
    }
    try {
      const parsed = JSON.parse(text) as Partial<CredentialsFile>;
      if (typeof parsed.refreshTokens !== 'object' || parsed.refreshTokens === null) throw new Error('no refreshTokens object');
      return { version: 1, refreshTokens: { ...parsed.refreshTokens } };
    } catch (error) {
      throw new TaskctlError('credentials', `${this.location} is not a taskctl credentials file (${(error as Error).message}); delete it and log in again`);
    }
  }

  private async write(file: CredentialsFile): Promise<void> {
    const folder = dirname(this.location);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const temporary = `${this.location}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    // The mode above applies only when the file is created; make sure of it either way.
    await chmod(temporary, 0o600);
    await rename(temporary, this.location);
  }
}
