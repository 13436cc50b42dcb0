import { readFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';

/**
 * A plain TCP relay on 127.0.0.1 in front of a port (the agent's) that counts the connections
 * reaching it, so a test can tell whether anything came through an SSH tunnel at all.
 */
export interface CountingRelay {
  port: number;
  count(): number;
  close(): Promise<void>;
}

export async function startCountingRelay(targetPort: number): Promise<CountingRelay> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    count += 1;
    const target = connect(targetPort, '127.0.0.1');
    for (const side of [socket, target]) {
      sockets.add(side);
      side.on('error', () => undefined);
      side.on('close', () => {
        sockets.delete(side);
        socket.destroy();
        target.destroy();
      });
    }
    socket.pipe(target).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    count: () => count,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** How many established IPv4 TCP connections to `port` this machine has, as the kernel lists them. */
export async function connectionsTo(port: number): Promise<number> {
  const lines = (await readFile('/proc/net/tcp', 'utf8')).split('\n').slice(1);
  const remote = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return lines.filter((line) => {
    const fields = line.trim().split(/\s+/);
    return fields[2]?.endsWith(remote) && fields[3] === '01';
  }).length;
}

/** Resolves true when a TCP connection to 127.0.0.1:`port` is refused. */
export function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
