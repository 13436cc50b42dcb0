/**
 * The SSH host keys the user has confirmed, one per cluster, in a JSON file of the app's own
 * (not `~/.ssh/known_hosts`: a cluster's key is bound to its profile, so two profiles for one host
 * are confirmed separately and removing a cluster forgets its key).
 *
 * The file maps cluster id → `{ algorithm, fingerprint, key }` (see `hostKey.ts`). It holds no
 * secret, but it decides whom the app trusts, so it is written with mode 0600 and atomically: a
 * temporary file in the same folder, then `rename`, so a crash never leaves half a file. Writes
 * are serialized within the process.
 *
 * Beside the file, the store keeps in memory the key each cluster last offered that was not
 * trusted (pending), so that the user's confirmation of a fingerprint stores exactly the key that
 * was shown (`trustPending`), never one supplied later by someone else.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { checkedHostKey, hostKey, type HostKey } from './hostKey.js';

const knownHostsFile = z.record(z.string().min(1), hostKey);
type KnownHostsFile = z.infer<typeof knownHostsFile>;

export class KnownHosts {
  #writes: Promise<unknown> = Promise.resolve();
  readonly #pending = new Map<string, HostKey>();

  /** `path`: the JSON file, e.g. `<userData>/known-ssh-hosts.json`; created on the first `trust`. */
  constructor(readonly path: string) {}

  /** The trusted key of a cluster, or null when none is stored. */
  async lookup(clusterId: string): Promise<HostKey | null> {
    await this.#writes;
    return (await this.#read())[clusterId] ?? null;
  }

  /** Stores `key` as the cluster's trusted host key (replacing any), after checking its fingerprint matches its blob. */
  async trust(clusterId: string, key: HostKey): Promise<void> {
    const checked = checkedHostKey(key);
    await this.#update((hosts) => ({ ...hosts, [clusterId]: checked }));
    this.#pending.delete(clusterId);
  }

  /** Removes the cluster's trusted and pending keys; the next connection asks again. */
  async forget(clusterId: string): Promise<void> {
    this.#pending.delete(clusterId);
    await this.#update((hosts) => Object.fromEntries(Object.entries(hosts).filter(([id]) => id !== clusterId)));
  }

  /** Remembers a key the cluster offered that is not trusted yet (called by the SSH opener). */
  propose(clusterId: string, key: HostKey): void {
    this.#pending.set(clusterId, key);
  }

  /** The key waiting for the user's confirmation, or null. */
  pending(clusterId: string): HostKey | null {
    return this.#pending.get(clusterId) ?? null;
  }

  /**
   * Trusts the pending key of a cluster if its fingerprint is the one the user confirmed, and
   * returns it. Throws when no key is pending or the pending one has another fingerprint (the
   * server offered a different key since it was shown: connect again and look at the new one).
   */
  async trustPending(clusterId: string, fingerprint: string): Promise<HostKey> {
    const pending = this.#pending.get(clusterId);
    if (!pending) throw new Error(`no SSH host key is waiting for confirmation for cluster ${clusterId}: connect to it first`);
    if (pending.fingerprint !== fingerprint) {
      throw new Error(`the SSH host key waiting for cluster ${clusterId} is ${pending.fingerprint}, not ${fingerprint}: connect again and confirm the key shown`);
    }
    await this.trust(clusterId, pending);
    return pending;
  }

  async #read(): Promise<KnownHostsFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`cannot read the known SSH hosts file ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`the known SSH hosts file ${this.path} is not JSON: fix it or delete it (every SSH cluster then asks to confirm its host key again)`, { cause: error });
    }
    const result = knownHostsFile.safeParse(parsed);
    if (!result.success) {
      const where = result.error.issues[0]?.path.join('.') ?? '';
      throw new Error(`the known SSH hosts file ${this.path} has an invalid entry at ${where || 'the top level'}: fix it or delete it (every SSH cluster then asks to confirm its host key again)`);
    }
    return result.data;
  }

  /** Applies `change` to the file's content and writes the result atomically, one write at a time. */
  #update(change: (hosts: KnownHostsFile) => KnownHostsFile): Promise<void> {
    const write = this.#writes.then(async () => {
      const next = change(await this.#read());
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      const temporary = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
        await rename(temporary, this.path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    });
    // A failed write is reported to its caller and does not block the next one.
    this.#writes = write.catch(() => undefined);
    return write;
  }
}
