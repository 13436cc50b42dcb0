import { createInterface } from 'node:readline';

/**
 * Reading a line from stdin and a secret from the terminal, for both command-line programs
 * (`switchyard user create`, `taskctl`). A password is never a flag (it would stay in the shell
 * history and the process list): it is the first line of stdin, or typed without echo.
 */

/** The first line of stdin, without its line ending; empty when stdin ends first. */
export async function readFirstLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
    process.stdin.pause();
  }
}

/** Reads one line from the terminal in raw mode, echoing nothing. Ctrl-C exits 130 as a shell would. */
export function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  // Echo goes off before the question shows, so nothing typed ahead of it is echoed.
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  process.stderr.write(question);
  return new Promise((resolve) => {
    let answer = '';
    const done = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n' || character === '\u0004') {
          done();
          resolve(answer);
          return;
        }
        if (character === '\u0003') {
          done();
          process.exit(130);
        }
        if (character === '\u007f' || character === '\b') answer = [...answer].slice(0, -1).join('');
        else answer += character;
      }
    };
    input.on('data', onData);
  });
}
