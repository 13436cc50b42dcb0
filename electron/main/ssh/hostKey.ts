/**
 * SSH host keys as the app stores and shows them.
 *
 * During the key exchange the server sends its public key as an SSH "key blob": a length-prefixed
 * algorithm name (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, …) followed by the key material.
 * Its fingerprint is OpenSSH's: `SHA256:` and the base64 of the SHA-256 of the blob, without the
 * `=` padding — exactly what `ssh-keygen -lf <key>.pub` prints, so a user can compare it with the
 * server's own files.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const hostKey = z.strictObject({
  /** The key type named inside the blob, e.g. `ssh-ed25519`. */
  algorithm: z.string().min(1).max(64),
  /** `SHA256:<base64 without padding>`. */
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'fingerprint must be SHA256:<43 base64 characters>'),
  /** The whole public key blob, base64. */
  key: z.string().min(1).max(16_384),
});
export type HostKey = z.infer<typeof hostKey>;

/** OpenSSH's SHA-256 fingerprint of a public key blob. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name at the start of a key blob (a uint32 length, then that many ASCII bytes). */
export function algorithmOf(blob: Buffer): string {
  if (blob.length < 4) throw new Error('the SSH host key is too short to be a key blob');
  const length = blob.readUInt32BE(0);
  if (length < 1 || length > 64 || 4 + length > blob.length) throw new Error('the SSH host key does not start with an algorithm name');
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** The stored form of a key blob received from a server. */
export function hostKeyOf(blob: Buffer): HostKey {
  return { algorithm: algorithmOf(blob), fingerprint: fingerprintOf(blob), key: blob.toString('base64') };
}

/**
 * The host key algorithms to prefer when a key of `algorithm` is trusted, so that a server with
 * several host keys (say RSA and Ed25519) presents the one the user confirmed rather than the one
 * ssh2 happens to rank first. An RSA key signs as `rsa-sha2-512`, `rsa-sha2-256` or `ssh-rsa`.
 */
export function preferredHostKeyAlgorithms(algorithm: string): string[] {
  return algorithm === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [algorithm];
}

/**
 * Checks that a record is self-consistent: its algorithm and fingerprint are those of its key.
 * Returns the record rebuilt from the key, or throws saying which field does not match.
 */
export function checkedHostKey(record: HostKey): HostKey {
  const parsed = hostKey.parse(record);
  const rebuilt = hostKeyOf(Buffer.from(parsed.key, 'base64'));
  if (rebuilt.fingerprint !== parsed.fingerprint) {
    throw new Error(`the host key's fingerprint is ${rebuilt.fingerprint}, not ${parsed.fingerprint}: refusing to trust it`);
  }
  if (rebuilt.algorithm !== parsed.algorithm) {
    throw new Error(`the host key's algorithm is ${rebuilt.algorithm}, not ${parsed.algorithm}: refusing to trust it`);
  }
  return rebuilt;
}
