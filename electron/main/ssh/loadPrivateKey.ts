/**
 * Reads a cluster's private key file and checks it before any network traffic, so a missing file,
 * a public key chosen by mistake or a missing passphrase are reported as such rather than as a
 * refused login. The passphrase is asked for (from the keychain) only when the key is encrypted.
 *
 * An encrypted key is not decrypted here: its key derivation (bcrypt, on purpose slow and
 * synchronous) would then run twice, since ssh2 decrypts the text again when it connects. A wrong
 * passphrase is reported from that attempt instead (`passphraseProblem`).
 */
import { readFile } from 'node:fs/promises';
import ssh2, { type ParsedKey } from 'ssh2';
import { SshConnectionError } from './SshConnectionError.js';

export interface LoadedPrivateKey {
  /** The key file's text, as ssh2 takes it. */
  text: string;
  /** The passphrase that decrypts it, when it is encrypted. */
  passphrase?: string;
}

const needsPassphrase = /no passphrase given/i;
const badPassphrase = /bad passphrase|integrity check failed|failed to decrypt/i;

export async function loadPrivateKey(path: string, passphrase: () => Promise<string | undefined>): Promise<LoadedPrivateKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${(error as Error).message})`;
    throw new SshConnectionError('privateKeyUnreadable', `the private key file ${path} ${what}: choose an existing, readable key file in the cluster's SSH settings`, { cause: error });
  }

  const plain = ssh2.utils.parseKey(text);
  if (!(plain instanceof Error)) return { text: usable(plain, path, text) };
  if (!needsPassphrase.test(plain.message)) throw invalid(path, plain);

  const secret = await passphrase();
  if (!secret) {
    throw new SshConnectionError('passphraseMissing', `the private key ${path} is protected by a passphrase and none is stored for this cluster: enter the passphrase in the cluster's SSH settings`);
  }
  return { text, passphrase: secret };
}

/** The error of ssh2's own parse of the key when it connects (a wrong passphrase, mostly), or null when `error` is about something else. */
export function passphraseProblem(error: unknown, path: string): SshConnectionError | null {
  const message = error instanceof Error ? error.message : '';
  if (!message.startsWith('Cannot parse privateKey')) return null;
  if (badPassphrase.test(message)) {
    return new SshConnectionError('passphraseWrong', `the stored passphrase does not unlock the private key ${path}: enter the right passphrase in the cluster's SSH settings`, { cause: error });
  }
  return invalid(path, error as Error);
}

/** Returns the text when the parsed key has a private half (a `.pub` file has not). */
function usable(parsed: ParsedKey | ParsedKey[], path: string, text: string): string {
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key?.isPrivateKey()) {
    throw new SshConnectionError('privateKeyInvalid', `${path} holds a public key, not a private key: choose the private key file (the one without .pub)`);
  }
  return text;
}

function invalid(path: string, error: Error): SshConnectionError {
  return new SshConnectionError('privateKeyInvalid', `${path} is not a private key the app can use (${error.message}): choose an OpenSSH or PEM private key file`, { cause: error });
}
