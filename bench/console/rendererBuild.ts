/**
 * Builds the console into out/renderer with electron-vite unless the build there is newer than
 * every file under renderer/ and shared/ (the same rule as the browser tests' helper). A build
 * another process is running (its lock folder exists) is waited for, not started twice.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const rendererFolder = join(root, 'out/renderer');
const buildLock = join(root, 'out/.renderer-build.lock');

async function newestChange(folder: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

async function buildIsCurrent(): Promise<boolean> {
  const index = join(rendererFolder, 'index.html');
  const built = existsSync(index) ? (await stat(index)).mtimeMs : 0;
  return built > Math.max(await newestChange(join(root, 'renderer')), await newestChange(join(root, 'shared')));
}

/** Answers whether it built (false: the existing build was current). */
export async function ensureRendererBuilt(): Promise<boolean> {
  await mkdir(join(root, 'out'), { recursive: true });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (await buildIsCurrent()) return false;
    try {
      await mkdir(buildLock);
    } catch {
      // Another process is building: look again shortly.
      await sleep(200);
      continue;
    }
    try {
      if (await buildIsCurrent()) return false;
      await promisify(execFile)(join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, timeout: 90_000 });
      return true;
    } finally {
      await rm(buildLock, { recursive: true, force: true });
    }
  }
  throw new Error('the renderer build did not finish within 120 s (is out/.renderer-build.lock left over?)');
}
