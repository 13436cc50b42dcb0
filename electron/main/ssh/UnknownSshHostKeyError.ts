/**
 * The gateway's `UnknownHostKeyError` with the whole key the server offered, so that the caller
 * that asks the user can store exactly that key once confirmed (`KnownHosts.trust(id, error.hostKey)`,
 * or `KnownHosts.trustPending(id, fingerprint)`, which uses the copy the store kept).
 */
import { UnknownHostKeyError } from '../gateway/Upstream.js';
import type { HostKey } from './hostKey.js';

export class UnknownSshHostKeyError extends UnknownHostKeyError {
  constructor(readonly hostKey: HostKey) {
    super(hostKey.fingerprint, hostKey.algorithm);
  }
}
