#!/usr/bin/env node
/**
 * The `taskctl` command. Entry only: build the program, run it, map the outcome to an exit code —
 * 0 ok, 1 the agent refused or the work failed, 2 bad usage — with one line on stderr (and, with
 * `--json`, `{"error":{…}}` on stdout). See docs/taskctl.md.
 */
import type { Command } from 'commander';
import { exitCodes } from './errors.js';
import { failureOf } from './failure.js';
import { Output } from './output.js';
import { taskctlProgram } from './taskctlProgram.js';

const program = taskctlProgram();
let running: Command = program;
program.hook('preAction', (_program, actionCommand) => {
  running = actionCommand;
});

try {
  await program.parseAsync(process.argv);
  process.exitCode = exitCodes.ok;
} catch (error) {
  const failure = failureOf(error, commandPath(running, process.argv.slice(2)));
  if (failure) {
    new Output(jsonRequested(process.argv.slice(2))).failure(failure.line, failure.error);
    process.exitCode = failure.exitCode;
  }
}
// A pending keychain call or socket must not hold the process open once the command is done;
// but a large answer written to a pipe must reach it first (pipe writes are asynchronous).
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(process.exitCode ?? exitCodes.ok);

/** `--json` counts even when parsing failed before commander read it. */
function jsonRequested(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

/** `taskctl queues create`: the command that ran, or as much of it as the arguments name. */
function commandPath(command: Command, args: string[]): string {
  if (command !== program) {
    const names: string[] = [];
    for (let current: Command | null = command; current; current = current.parent) names.unshift(current.name());
    return names.join(' ');
  }
  const names = ['taskctl'];
  let current: Command = program;
  for (const arg of args) {
    const sub = current.commands.find((candidate) => candidate.name() === arg);
    if (!sub) continue;
    names.push(arg);
    current = sub;
  }
  return names.join(' ');
}
