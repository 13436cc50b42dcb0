import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';

/**
 * The only caller of the Lua commands in ./commands. Each command is one state change, run
 * atomically by Redis. Files are named `<command>-<number of keys>.lua`; a line
 * `--@include name` pastes `commands/includes/name.lua` in its place.
 */

const commandNames = [
  'defineQueue',
  'setPaused',
  'enqueue',
  'settleAndClaim',
  'extendLeases',
  'release',
  'cancel',
  'promote',
  'retry',
  'recover',
  'takeFinished',
  'forgetFinished',
] as const;
export type CommandName = (typeof commandNames)[number];

/** Keys every command receives (see includes/queueKeys.lua). */
export const queueKeyCount = 14;

/** Small negative codes the commands answer with, mapped to errors by the engine. */
export const enum CommandCode {
  unknownQueue = -1,
  notFound = -2,
}

const commandsDirectory = new URL('./commands/', import.meta.url);

function readCommand(file: string, seen: Set<string> = new Set()): string {
  const source = readFileSync(new URL(file, commandsDirectory), 'utf8');
  return source.replace(/^--@include (\w+)$/gm, (_line, name: string) => {
    if (seen.has(name)) return '';
    seen.add(name);
    return readCommand(`includes/${name}.lua`, seen);
  });
}

/** The Lua source of every command, includes resolved. Read once per process. */
let sources: Map<CommandName, string> | undefined;

export function commandSources(): Map<CommandName, string> {
  sources ??= new Map(commandNames.map((name) => [name, readCommand(`${name}-${queueKeyCount}.lua`)]));
  return sources;
}

type Argument = string | number;
export type Command = (keys: readonly string[], ...args: Argument[]) => Promise<unknown>;
export type Commands = Record<CommandName, Command>;

/**
 * Registers every command on a client or cluster and returns typed callers. ioredis sends a
 * script with EVAL the first time on each connection (each master's, on a cluster), EVALSHA
 * after that, and EVAL again when a server answers NOSCRIPT (its script cache was flushed).
 */
export function defineCommands(redis: Redis | Cluster): Commands {
  const commands = {} as Commands;
  for (const [name, lua] of commandSources()) {
    const scriptName = `switchyard_${name}`;
    if (!(scriptName in redis)) {
      redis.defineCommand(scriptName, { numberOfKeys: queueKeyCount, lua });
    }
    const call = (redis as unknown as Record<string, (...args: Argument[]) => Promise<unknown>>)[scriptName]!.bind(redis);
    commands[name] = (keys, ...args) => call(...keys, ...args);
  }
  return commands;
}
