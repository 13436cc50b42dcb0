import { createInterface } from 'node:readline';
import { promptHidden, readFirstLine } from '../terminal.js';
import { UsageError } from './errors.js';

/**
 * Reading secrets and data from stdin and the terminal. A password is never a flag (it would
 * stay in the shell history and the process list): it is the first line of stdin with
 * `--password-stdin`, or typed on the terminal without echo.
 */

/** The first `count` lines of stdin (fewer when it ends first). */
export async function readLines(count: number): Promise<string[]> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const read: string[] = [];
  try {
    for await (const line of lines) {
      read.push(line);
      if (read.length === count) break;
    }
    return read;
  } finally {
    lines.close();
    process.stdin.pause();
  }
}

/** All of stdin as text. */
export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A password from `--password-stdin`, or asked on the terminal without echo (twice with `confirm`). */
export async function readPassword(fromStdin: boolean, { label = 'password', confirm = false } = {}): Promise<string> {
  if (fromStdin) return readFirstLine();
  if (!process.stdin.isTTY) throw new UsageError(`stdin is not a terminal to ask for the ${label} on; pipe it in with --password-stdin`);
  const password = await promptHidden(`${label}: `);
  if (confirm && (await promptHidden(`${label} again: `)) !== password) throw new UsageError(`the two ${label}s differ`);
  return password;
}

/** A line typed on the terminal, echoed (for a username); `flag` is named when there is no terminal. */
export async function promptVisible(question: string, flag: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(`${flag} is required when stdin is not a terminal`);
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await new Promise<string>((resolve) => lines.question(question, resolve))).trim();
  } finally {
    lines.close();
  }
}
