/**
 * The console the bench and the browser tests load: out/renderer, built with the rest of `out/`
 * when its sources are newer, one build at a time (electron/launcher/desktopBuild.ts, the same
 * rule and lock `npm start` uses).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDesktopBuilt } from '../../electron/launcher/desktopBuild.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const rendererFolder = join(root, 'out/renderer');

/** Answers whether it built (false: the existing build was current). */
export function ensureRendererBuilt(): Promise<boolean> {
  return ensureDesktopBuilt(root);
}
