import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TaskctlError } from './errors.js';

/**
 * Runs `work` while holding a lock file, so that only one `taskctl` process at a time trades a
 * stored refresh token for a new one. Refresh tokens are single use and the agent treats a second
 * use as theft (it revokes the whole sign-in), so two commands started together — a script's
 * `xargs -P 4 taskctl …` — must not both present the same token: the second waits, then reads the
 * token the first stored.
 *
 * The lock is a file created with O_EXCL holding the owner's pid. A lock whose owner is gone (a
 * killed process) or that is older than `staleMs` (a refresh takes milliseconds) is broken.
 */
export async function withRefreshLock<T>(path: string, work: () => Promise<T>, { staleMs = 30_000, timeoutMs = 60_000 } = {}): Promise<T> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new TaskctlError('credentials', `cannot create the lock ${path}: ${(error as Error).message}`);
    }
    if (await isStale(path, staleMs)) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) throw new TaskctlError('credentials', `another taskctl has held ${path} for over ${timeoutMs / 1000} s; delete it if no taskctl is running`);
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
  }
  try {
    return await work();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

async function isStale(path: string, staleMs: number): Promise<boolean> {
  try {
    const [content, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    if (Date.now() - info.mtimeMs > staleMs) return true;
    const pid = Number(content);
    // An empty file is a lock being written this instant: not stale.
    return Number.isInteger(pid) && pid > 0 && !isAlive(pid);
  } catch {
    // Gone between the attempt and now: try again at once.
    return true;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
