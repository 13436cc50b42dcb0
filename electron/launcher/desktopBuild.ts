/**
 * The build of the desktop app and web console (`out/`, by electron-vite), made when needed: when
 * one of its three entry files is missing, or older than the newest source file of the folders it
 * is built from (electron/, renderer/, shared/). `npm start` makes it before opening the app and
 * before serving the web console; the browser tests and the console bench make it the same way.
 *
 * One build at a time per checkout: a builder holds the folder `out/.build.lock` (with its pid in
 * it) while electron-vite runs; another process waits for it and then finds the build current.
 * A lock whose process is gone (a build interrupted by Ctrl+C) is taken over.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The files the app loads: main, preload and the renderer's document. */
export const desktopBuildFiles = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'] as const;

/** The folders the build is made from. */
export const desktopSourceFolders = ['electron', 'renderer', 'shared'] as const;

/** How long a build, or the wait for another process's build, may take. */
const buildDeadlineMs = 180_000;

function newestChange(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function desktopBuildNeeded(root: string): boolean {
  const builtAt = desktopBuildFiles.map((file) => join(root, file)).map((path) => (existsSync(path) ? statSync(path).mtimeMs : 0));
  const oldest = Math.min(...builtAt);
  if (oldest === 0) return true;
  return desktopSourceFolders.some((folder) => existsSync(join(root, folder)) && newestChange(join(root, folder)) > oldest);
}

export interface DesktopBuildOptions {
  /** `inherit` shows electron-vite's output on this terminal (npm start); `quiet` keeps it, for the error. Default `quiet`. */
  output?: 'inherit' | 'quiet';
}

/**
 * Builds `out/` in `root` unless it is current, waiting for a build another process is making;
 * answers whether this call built. Throws when the build fails, naming electron-vite's last lines.
 */
export async function ensureDesktopBuilt(root: string, options: DesktopBuildOptions = {}): Promise<boolean> {
  const lock = join(root, 'out', '.build.lock');
  await mkdir(join(root, 'out'), { recursive: true });
  const deadline = Date.now() + buildDeadlineMs;
  while (Date.now() < deadline) {
    if (!desktopBuildNeeded(root)) return false;
    if (!(await takeLock(lock))) {
      await sleep(200);
      continue;
    }
    try {
      if (!desktopBuildNeeded(root)) return false;
      await runElectronViteBuild(root, options.output ?? 'quiet');
      return true;
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  throw new Error(`the build of out/ did not finish within ${buildDeadlineMs / 1000} s (another process holds ${lock})`);
}

/** Takes the lock folder, or takes over one whose process is gone; false while a live process holds it. */
async function takeLock(lock: string): Promise<boolean> {
  try {
    await mkdir(lock);
  } catch {
    const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
    // No pid yet: its holder is between mkdir and writeFile. Look again shortly.
    if (!Number.isInteger(holder) || holder <= 0 || processIsAlive(holder)) return false;
    await rm(lock, { recursive: true, force: true });
    return false;
  }
  await writeFile(join(lock, 'pid'), String(process.pid));
  return true;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function runElectronViteBuild(root: string, output: 'inherit' | 'quiet'): Promise<void> {
  const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const child = spawn(process.execPath, [electronVite, 'build'], { cwd: root, stdio: output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`electron-vite build failed (${signal ?? `exit code ${code}`})${printed ? `:\n${printed.trim().split('\n').slice(-10).join('\n')}` : ''}`));
    });
  });
}
