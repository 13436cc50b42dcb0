import { readdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Handler } from './Handler.js';
import type { HandlerRegistry } from './HandlerRegistry.js';

/** Extensions of handler modules. `.ts` files load only when the agent runs under tsx. */
const moduleExtensions = new Set(['.js', '.mjs', '.ts']);

/**
 * Imports every handler module of `dir` (not its subdirectories), in name order, and registers
 * what each default-exports:
 * - a function: the handler of the task type named after the file (`resize.image.js` → `resize.image`);
 * - `{ type, handler }`: one handler for `type`;
 * - `{ [type]: handler, … }`: several handlers.
 * Files named `*.d.ts`, `*.test.*` or starting with `_` or `.` are skipped (helpers live there).
 * A module that fails to import or exports anything else fails the whole load with an error
 * that names the file. Answers the registered types with their files.
 */
export async function loadHandlersDirectory(
  dir: string,
  registry: HandlerRegistry,
): Promise<Array<{ type: string; file: string }>> {
  const directory = resolve(dir);
  const entries = await readdir(directory, { withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && isHandlerModule(entry.name))
    .map((entry) => join(directory, entry.name))
    .sort();
  const loaded: Array<{ type: string; file: string }> = [];
  for (const file of files) {
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (error) {
      const hint = file.endsWith('.ts') ? ' (TypeScript handlers load only when the agent runs under tsx)' : '';
      throw new Error(`handler module ${file} failed to load${hint}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    for (const [type, handler] of handlersOf(module.default, file)) {
      try {
        registry.register(type, handler);
      } catch (error) {
        throw new Error(`handler module ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      loaded.push({ type, file });
    }
  }
  return loaded;
}

function isHandlerModule(name: string): boolean {
  if (name.startsWith('_') || name.startsWith('.') || name.endsWith('.d.ts') || /\.test\.[^.]+$/.test(name)) return false;
  return moduleExtensions.has(extname(name));
}

function handlersOf(exported: unknown, file: string): Array<[string, Handler]> {
  if (typeof exported === 'function') return [[basename(file, extname(file)), exported as Handler]];
  if (typeof exported === 'object' && exported !== null) {
    const record = exported as Record<string, unknown>;
    if (typeof record.type === 'string' && typeof record.handler === 'function') {
      return [[record.type, record.handler as Handler]];
    }
    const pairs = Object.entries(record);
    if (pairs.length > 0 && pairs.every(([, value]) => typeof value === 'function')) {
      return pairs as Array<[string, Handler]>;
    }
  }
  throw new Error(
    `handler module ${file} must default-export a handler function, { type, handler }, or an object of task type → handler`,
  );
}
