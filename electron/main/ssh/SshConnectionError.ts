/**
 * Why an SSH tunnel could not be opened, in words a user can act on. Each message says what is
 * wrong and what to do; `problem` lets the app choose how to show it (e.g. ask for the
 * passphrase). Host key refusals are not here: they are `UnknownHostKeyError` and
 * `ChangedHostKeyError` of the gateway's contract.
 */
import type { z } from 'zod';
import type { sshConnection } from '../../../shared/clusters.js';

export type SshConnection = z.output<typeof sshConnection>;

export type SshProblem =
  /** The private key file is missing or cannot be read. */
  | 'privateKeyUnreadable'
  /** The file is not a private key ssh2 can use. */
  | 'privateKeyInvalid'
  /** The key is protected by a passphrase and none is stored. */
  | 'passphraseMissing'
  /** The stored passphrase does not decrypt the key. */
  | 'passphraseWrong'
  /** The server refused every authentication method offered (the key is not authorized). */
  | 'authenticationRefused'
  /** No TCP connection to the SSH port (refused, no route, unknown name). */
  | 'unreachable'
  /** The server did not finish the SSH handshake in time. */
  | 'timeout'
  /** Connected, but the server could not open the forwarded connection to the agent's port. */
  | 'forwardRefused';

export class SshConnectionError extends Error {
  constructor(
    readonly problem: SshProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SshConnectionError';
  }
}

/** `user@host:port`, as messages name the SSH server. */
export function describeTarget(connection: SshConnection): string {
  return `${connection.username}@${connection.host}:${connection.port}`;
}

/** Turns an error of ssh2 / node-ssh while connecting into an `SshConnectionError`. */
export function connectProblem(error: unknown, connection: SshConnection): SshConnectionError {
  const target = describeTarget(connection);
  const cause = error instanceof Error ? error : new Error(String(error));
  const level = (cause as { level?: string }).level;
  const code = (cause as { code?: string }).code;
  if (level === 'client-authentication') {
    return new SshConnectionError(
      'authenticationRefused',
      `${target} refused the key ${connection.privateKeyPath}: add its public key (${connection.privateKeyPath}.pub) to ~${connection.username}/.ssh/authorized_keys on the host, or choose the key that is authorized there`,
      { cause },
    );
  }
  if (level === 'client-timeout' || code === 'ETIMEDOUT') {
    return new SshConnectionError('timeout', `${target} did not complete the SSH handshake in time: check the host and port, and that sshd answers there`, { cause });
  }
  if (level === 'client-dns') {
    return new SshConnectionError('unreachable', `cannot resolve the SSH host name ${connection.host} (${cause.message}): check the host in the cluster's settings`, { cause });
  }
  if (level === 'client-socket' || code) {
    return new SshConnectionError(
      'unreachable',
      `cannot reach the SSH server at ${connection.host}:${connection.port} (${code ?? cause.message}): check the host and port, that sshd runs there and that no firewall is in the way`,
      { cause },
    );
  }
  return new SshConnectionError('unreachable', `the SSH connection to ${target} failed (${cause.message}): check the host, port and user`, { cause });
}

/** The forwarded connection to the agent's port could not be opened on the SSH host. */
export function forwardProblem(error: unknown, connection: SshConnection): SshConnectionError {
  const reason = error instanceof Error ? error.message.replace(/^\(SSH\) Channel open failure: /, '') : String(error);
  return new SshConnectionError(
    'forwardRefused',
    `${describeTarget(connection)} could not open a connection to the agent at 127.0.0.1:${connection.agentPort} on that host (${reason}): check that the agent runs there on that port, and that sshd allows TCP forwarding (AllowTcpForwarding)`,
    { cause: error },
  );
}
