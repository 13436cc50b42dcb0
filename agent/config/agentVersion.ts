import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The version in Switchyard's package.json, found by walking up from this file (source or dist/). */
export function agentVersion(): string {
  if (cached) return cached;
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'switchyard' && manifest.version) return (cached = manifest.version);
    } catch {
      // no package.json here: keep walking up
    }
    const parent = path.dirname(folder);
    if (parent === folder) return (cached = '0.0.0');
    folder = parent;
  }
}
