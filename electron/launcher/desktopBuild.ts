/**
 * Whether the desktop app's build (`out/`, by electron-vite) must be made before Electron can load
 * it: when one of its three entry files is missing, or older than the newest source file of the
 * folders it is built from (electron/, renderer/, shared/). The launcher then runs
 * `electron-vite build` once, with its output on the terminal.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The files the app loads: main, preload and the renderer's document. */
export const desktopBuildFiles = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'] as const;

/** The folders the build is made from. */
export const desktopSourceFolders = ['electron', 'renderer', 'shared'] as const;

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

/** Runs `electron-vite build` in `root`; throws when it fails. */
export function buildDesktop(root: string): void {
  const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [electronVite, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`electron-vite build failed (${result.signal ?? `exit code ${result.status}`})`);
}
