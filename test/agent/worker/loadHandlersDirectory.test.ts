import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskContext } from '../../../agent/worker/Handler.js';
import { HandlerRegistry } from '../../../agent/worker/HandlerRegistry.js';
import { loadHandlersDirectory } from '../../../agent/worker/loadHandlersDirectory.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sy-handlers-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function write(files: Record<string, string>): Promise<void> {
  for (const [name, source] of Object.entries(files)) await writeFile(join(dir, name), source);
}

const context = { payload: { n: 2 } } as TaskContext;

describe('loadHandlersDirectory', () => {
  it('registers a default-exported function under the file name', async () => {
    await write({ 'resize.image.mjs': 'export default async ({ payload }) => payload.n * 10;' });
    const registry = new HandlerRegistry();
    expect(await loadHandlersDirectory(dir, registry)).toEqual([{ type: 'resize.image', file: join(dir, 'resize.image.mjs') }]);
    expect(await registry.get('resize.image')?.(context)).toBe(20);
  });

  it('registers { type, handler } and { [type]: handler } exports, and TypeScript files', async () => {
    await write({
      'one.js': "export default { type: 'mail.send', handler: async () => 'sent' };",
      'many.mjs': "export default { 'a.first': async () => 1, 'a.second': async () => 2 };",
      'typed.ts': 'export default async ({ payload }: { payload: { n: number } }): Promise<number> => payload.n + 1;',
    });
    const registry = new HandlerRegistry();
    await loadHandlersDirectory(dir, registry);
    expect(registry.types()).toEqual(['a.first', 'a.second', 'mail.send', 'typed']);
    expect(await registry.get('mail.send')?.(context)).toBe('sent');
    expect(await registry.get('a.second')?.(context)).toBe(2);
    expect(await registry.get('typed')?.(context)).toBe(3);
  });

  it('skips other files, declaration files, tests and files starting with _', async () => {
    await write({
      'notes.txt': 'not code',
      'types.d.ts': 'export {};',
      '_shared.js': 'export default 42;',
      'job.test.js': 'export default 42;',
      'real.js': 'export default async () => 1;',
    });
    const registry = new HandlerRegistry();
    await loadHandlersDirectory(dir, registry);
    expect(registry.types()).toEqual(['real']);
  });

  it('fails naming the file whose default export is not a handler', async () => {
    await write({ 'bad.js': "export default { type: 'x' };" });
    await expect(loadHandlersDirectory(dir, new HandlerRegistry())).rejects.toThrow(/bad\.js must default-export a handler/);
  });

  it('fails naming the file that has no default export', async () => {
    await write({ 'named.mjs': 'export const handler = async () => 1;' });
    await expect(loadHandlersDirectory(dir, new HandlerRegistry())).rejects.toThrow(/named\.mjs must default-export/);
  });

  it('fails naming the file that does not load', async () => {
    await write({ 'broken.js': 'export default async () => {' });
    await expect(loadHandlersDirectory(dir, new HandlerRegistry())).rejects.toThrow(/broken\.js failed to load/);
  });

  it('fails naming the file that registers a type twice', async () => {
    await write({ 'a.js': "export default { type: 'dup', handler: async () => 1 };", 'b.js': "export default { type: 'dup', handler: async () => 2 };" });
    await expect(loadHandlersDirectory(dir, new HandlerRegistry())).rejects.toThrow(/b\.js: a handler for dup is already registered/);
  });
});
