/** The size of the built console: every script and stylesheet under out/renderer/assets, raw and gzipped (level 9, as a server would send them). */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  files: Array<{ name: string; bytes: number; gzipBytes: number }>;
  jsBytes: number;
  jsGzipBytes: number;
  cssBytes: number;
  cssGzipBytes: number;
}

export async function bundleSize(rendererFolder: string): Promise<BundleSize> {
  const assets = join(rendererFolder, 'assets');
  const names = (await readdir(assets)).filter((name) => name.endsWith('.js') || name.endsWith('.css')).sort();
  const files = await Promise.all(
    names.map(async (name) => {
      const content = await readFile(join(assets, name));
      return { name, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    }),
  );
  const total = (suffix: string, field: 'bytes' | 'gzipBytes') => files.filter((file) => file.name.endsWith(suffix)).reduce((sum, file) => sum + file[field], 0);
  return { files, jsBytes: total('.js', 'bytes'), jsGzipBytes: total('.js', 'gzipBytes'), cssBytes: total('.css', 'bytes'), cssGzipBytes: total('.css', 'gzipBytes') };
}
