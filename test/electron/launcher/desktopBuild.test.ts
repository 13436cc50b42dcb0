/**
 * The build guard of `out/` (electron/launcher/desktopBuild.ts): when it builds, one build at a
 * time, and a lock left by a process that is gone. The builder here is a stand-in for
 * electron-vite (a script at the path the guard runs, which writes the three entry files and
 * counts its runs), so the rules are checked without the real build; `launch.test.ts` and the
 * browser tests run the real one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { desktopBuildNeeded, ensureDesktopBuilt } from '../../../electron/launcher/desktopBuild.js';

/** The stand-in build: slow enough for two callers to overlap; fails when FAIL_BUILD exists. */
const standInBuild = `
const { appendFileSync, existsSync, mkdirSync, writeFileSync } = require('node:fs');
if (existsSync('FAIL_BUILD')) { console.error('src/broken.tsx: Unexpected token'); process.exit(1); }
appendFileSync('builds.log', 'built\\n');
setTimeout(() => {
  for (const folder of ['out/main', 'out/preload', 'out/renderer']) mkdirSync(folder, { recursive: true });
  writeFileSync('out/main/index.js', '');
  writeFileSync('out/preload/index.cjs', '');
  writeFileSync('out/renderer/index.html', '');
}, 300);
`;

let roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
  roots = [];
});

async function checkout(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'switchyard-build-'));
  roots.push(root);
  await mkdir(join(root, 'node_modules/electron-vite/bin'), { recursive: true });
  await writeFile(join(root, 'node_modules/electron-vite/bin/electron-vite.js'), standInBuild);
  await mkdir(join(root, 'renderer'));
  await writeFile(join(root, 'renderer/main.tsx'), 'export {};\n');
  return root;
}

const builds = async (root: string) => (await readFile(join(root, 'builds.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

describe('building out/ when needed', () => {
  it('builds once for callers at the same time, and not again until a source changes', async () => {
    const root = await checkout();
    expect(desktopBuildNeeded(root)).toBe(true);
    const built = await Promise.all([ensureDesktopBuilt(root), ensureDesktopBuilt(root), ensureDesktopBuilt(root)]);
    expect(built.filter(Boolean)).toHaveLength(1);
    expect(await builds(root)).toBe(1);
    expect(existsSync(join(root, 'out/.build.lock'))).toBe(false);

    expect(await ensureDesktopBuilt(root)).toBe(false);
    const later = new Date(Date.now() + 5_000);
    await utimes(join(root, 'renderer/main.tsx'), later, later);
    expect(await ensureDesktopBuilt(root)).toBe(true);
    expect(await builds(root)).toBe(2);
  });

  it('takes over a lock whose process is gone', async () => {
    const root = await checkout();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await mkdir(join(root, 'out/.build.lock'), { recursive: true });
    await writeFile(join(root, 'out/.build.lock/pid'), gone.stdout);
    expect(await ensureDesktopBuilt(root)).toBe(true);
    expect(await builds(root)).toBe(1);
  });

  it('says why a build failed, with the builder’s last lines, and leaves no lock', async () => {
    const root = await checkout();
    await writeFile(join(root, 'FAIL_BUILD'), '');
    await expect(ensureDesktopBuilt(root)).rejects.toThrow(/electron-vite build failed \(exit code 1\):\nsrc\/broken\.tsx: Unexpected token/);
    expect(existsSync(join(root, 'out/.build.lock'))).toBe(false);
  });
});
