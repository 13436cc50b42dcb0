/**
 * An upstream reached through an SSH tunnel: a TCP server on 127.0.0.1 (a free port) whose every
 * accepted connection is forwarded over the SSH connection (`forwardOut`, i.e. `direct-tcpip`, as
 * `ssh -L` does) to 127.0.0.1:<agentPort> on the SSH host. HTTP requests and WebSocket upgrades
 * both pass as plain bytes, so `origin` is `http://127.0.0.1:<localPort>`.
 *
 * Opening checks everything once, so the caller gets one clear error: the key file, the host key,
 * the login, and a forwarded connection to the agent's port (opened and closed again).
 *
 * When the SSH connection drops (keepalive timeout, server restart, network change), the origin
 * stays the same: the next local connection reconnects, once, with the same host key check (a
 * changed key is refused then too). Concurrent connections share that one attempt. If it fails,
 * those local connections are closed without a byte and `lastError` says why; the connection after
 * them tries again. So the gateway keeps its upstream and never has to reopen it.
 *
 * `close()` stops the server, destroys every forwarded connection and ends the SSH session.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { ClientChannel } from 'ssh2';
import type { Upstream } from '../gateway/Upstream.js';
import { connectSsh, type SshSession, type SshTunnelOptions } from './connectSsh.js';
import { forwardProblem, type SshConnection } from './SshConnectionError.js';

export class SshUpstream implements Upstream {
  /** Why the last reconnection or forwarded connection failed; null after a success. */
  lastError: Error | null = null;
  #session: SshSession | null;
  #reconnecting: Promise<SshSession> | null = null;
  #closing: Promise<void> | null = null;
  readonly #sockets = new Set<Socket>();
  /** Every session whose TCP connection is still open, the current one and any that is ending. */
  readonly #sessions = new Set<SshSession>();

  private constructor(
    readonly clusterId: string,
    readonly connection: SshConnection,
    readonly origin: string,
    private readonly server: Server,
    session: SshSession,
    private readonly options: SshTunnelOptions,
  ) {
    this.#session = this.#watch(session);
    server.on('connection', (socket) => this.#forward(socket));
  }

  /** Connects, checks that the agent's port can be reached, and starts the local server. */
  static async open(clusterId: string, connection: SshConnection, options: SshTunnelOptions): Promise<SshUpstream> {
    const session = await connectSsh(clusterId, connection, options);
    try {
      const probe = await forwardOut(session, 0, connection);
      probe.on('error', () => undefined);
      probe.close();
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => (server.off('error', reject), resolve()));
      });
      const { port } = server.address() as { port: number };
      return new SshUpstream(clusterId, connection, `http://127.0.0.1:${port}`, server, session, options);
    } catch (error) {
      await session.end();
      throw error;
    }
  }

  /** True while the SSH session is up (false after a drop until a local connection reconnects it). */
  get connected(): boolean {
    return this.#session !== null;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const socket of this.#sockets) socket.destroy();
      const reconnecting = this.#reconnecting?.catch(() => null);
      await Promise.all([stopped, ...[...this.#sessions].map((session) => session.end()), reconnecting]);
      this.#session = null;
    })();
    return this.#closing;
  }

  /** Forgets the session as soon as it ends, so that the next local connection reconnects. */
  #watch(session: SshSession): SshSession {
    const forget = () => {
      if (this.#session === session) this.#session = null;
    };
    this.#sessions.add(session);
    session.client.once('end', forget);
    void session.closed.then(() => {
      forget();
      this.#sessions.delete(session);
    });
    return session;
  }

  /** The live session, or one reconnection attempt shared by everyone who asks while it runs. */
  #live(): Promise<SshSession> {
    if (this.#session) return Promise.resolve(this.#session);
    this.#reconnecting ??= connectSsh(this.clusterId, this.connection, this.options)
      .then(async (session) => {
        if (this.#closing) {
          await session.end();
          throw new Error('the SSH tunnel was closed');
        }
        this.#session = this.#watch(session);
        return session;
      })
      .finally(() => (this.#reconnecting = null));
    return this.#reconnecting;
  }

  #forward(socket: Socket): void {
    if (this.#closing) {
      socket.destroy();
      return;
    }
    this.#sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.pause();
    void this.#live()
      .then((session) =>
forwardOut(session, socket.remotePort ?? 0, this.connection),
      )
      .then(
        (channel) => {
          channel.on('error', () => undefined);
          if (socket.destroyed) {
            channel.close();
            return;
          }
          this.lastError = null;
          // Each side's end is passed on after what was written before it (end, not destroy), so
          // neither an upload nor an answer loses its tail when the other side closes first.
          socket.on('close', () => channel.end());
          channel.on('close', () => socket.end());
          socket.pipe(channel).pipe(socket);
          socket.resume();
        },
        (error: unknown) => {
          this.lastError = error instanceof Error ? error : new Error(String(error));
          socket.destroy();
        },
      );
  }
}

/** Opens a `direct-tcpip` channel to 127.0.0.1:<agentPort> on the SSH host. */
function forwardOut(session: SshSession, sourcePort: number, connection: SshConnection): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    session.client.forwardOut('127.0.0.1', sourcePort, '127.0.0.1', connection.agentPort, (error, channel) => {
      if (error) reject(forwardProblem(error, connection));
      else resolve(channel);
    });
  });
}
