import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { clusterExportFile, clusterInput, clusterProfile, type ClusterInput, type ClusterProfile } from '../../../shared/clusters.js';
import { deleteClusterSecrets, type SecretStore } from '../secrets/SecretStore.js';
import { clusterSlug, uniqueClusterName } from './clusterSlug.js';
import { describeIssue } from './describeIssue.js';
import { writeFileAtomically } from './writeFileAtomically.js';

/** The registry file: every profile, in the order the user added them. */
const registryFile = z.strictObject({
  format: z.literal('switchyard-cluster-registry'),
  version: z.literal(1),
  clusters: z.array(clusterProfile),
});

/** Only the user may read the registry: it names hosts, users and key files, though no secret. */
const registryMode = 0o600;
const exportMode = 0o644;

/**
 * The cluster profiles of the desktop app, kept in one JSON file (e.g. `<appData>/clusters.json`).
 *
 * - Read once, by `open`, and validated: a file that is not a valid registry is an error naming
 *   the file and the first bad field, never silently replaced (the user's profiles are in it).
 *   A missing file is an empty registry.
 * - Every change rewrites the whole file atomically (`writeFileAtomically`, mode 0600), one
 *   change at a time, before the call returns.
 * - Secrets are not here: `remove` also deletes the cluster's secrets from the `SecretStore`.
 */
export class ClusterRegistry {
  #profiles: ClusterProfile[];
  #changing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly secrets: SecretStore,
    profiles: ClusterProfile[],
  ) {
    this.#profiles = profiles;
  }

  static async open(path: string, secrets: SecretStore): Promise<ClusterRegistry> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new ClusterRegistry(path, secrets, []);
      throw error;
    }
    const unreadable = (why: string) => new Error(`the cluster registry ${path} cannot be read: ${why}; fix the file or move it away (the app then starts with no clusters)`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw unreadable(`it is not JSON (${(error as Error).message})`);
    }
    const parsed = registryFile.safeParse(json);
    if (!parsed.success) throw unreadable(describeIssue(parsed.error.issues[0]!));
    const seen = new Set<string>();
    for (const [index, profile] of parsed.data.clusters.entries()) {
      if (seen.has(profile.id)) throw unreadable(`clusters[${index}].id: the id ${profile.id} appears twice`);
      seen.add(profile.id);
    }
    return new ClusterRegistry(path, secrets, parsed.data.clusters);
  }

  list(): ClusterProfile[] {
    return this.#profiles.map((profile) => structuredClone(profile));
  }

  get(id: string): ClusterProfile | undefined {
    const found = this.#profiles.find((profile) => profile.id === id);
    return found && structuredClone(found);
  }

  /**
   * Adds a profile under an id made from its name (unique; see `clusterSlug`), or under `id` when
   * given (the embedded agent's `this-computer`). Throws when the input is not valid or `id` is taken.
   */
  async add(input: ClusterInput, id?: string): Promise<ClusterProfile> {
    const valid = parseInput(input);
    return this.#serially(async () => {
      const taken = new Set(this.#profiles.map((profile) => profile.id));
      if (id !== undefined && taken.has(id)) throw new Error(`a cluster with the id ${id} exists already`);
      const profile = clusterProfile.parse({ ...valid, id: id ?? clusterSlug(valid.name, taken) });
      await this.#save([...this.#profiles, profile]);
      return structuredClone(profile);
    });
  }

  /** Replaces a profile's name, colour and connection; its id stays. */
  async update(id: string, input: ClusterInput): Promise<ClusterProfile> {
    const valid = parseInput(input);
    return this.#serially(async () => {
      this.#require(id);
      const profile: ClusterProfile = { ...valid, id };
      await this.#save(this.#profiles.map((existing) => (existing.id === id ? profile : existing)));
      return structuredClone(profile);
    });
  }

  /** Forgets a profile and deletes its secrets. */
  async remove(id: string): Promise<void> {
    return this.#serially(async () => {
      this.#require(id);
      await this.#save(this.#profiles.filter((profile) => profile.id !== id));
      await deleteClusterSecrets(this.secrets, id);
    });
  }

  /** Writes every profile, without ids or secrets, as a `clusterExportFile` to `path`. */
  async exportTo(path: string): Promise<number> {
    const file = { format: 'switchyard-clusters', version: 1, clusters: this.#profiles.map(({ id: _id, ...input }) => input) } satisfies z.input<typeof clusterExportFile>;
    await writeFileAtomically(path, `${JSON.stringify(file, null, 2)}\n`, exportMode);
    return file.clusters.length;
  }

  /**
   * Adds every profile of a `clusterExportFile` at `path`, all or none: a bad entry is an error
   * naming it (`clusters[3].connection.url: …`). A name that is taken gets ` (2)`, ` (3)`, ….
   */
  async importFrom(path: string): Promise<ClusterProfile[]> {
    const refuse = (why: string) => new Error(`${path} is not a cluster export file: ${why}`);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== undefined) throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
      throw refuse(`it is not JSON (${(error as Error).message})`);
    }
    const parsed = clusterExportFile.safeParse(json);
    if (!parsed.success) throw refuse(describeIssue(parsed.error.issues[0]!));
    const inputs = parsed.data.clusters;
    return this.#serially(async () => {
      const ids = new Set(this.#profiles.map((profile) => profile.id));
      const names = new Set(this.#profiles.map((profile) => profile.name));
      const added: ClusterProfile[] = [];
      for (const input of inputs) {
        const name = uniqueClusterName(input.name, names);
        const profile = clusterProfile.parse({ ...input, name, id: clusterSlug(name, ids) });
        ids.add(profile.id);
        names.add(name);
        added.push(profile);
      }
      await this.#save([...this.#profiles, ...added]);
      return added.map((profile) => structuredClone(profile));
    });
  }

  #require(id: string): void {
    if (!this.#profiles.some((profile) => profile.id === id)) throw new Error(`there is no cluster ${id}`);
  }

  /** Runs one change after the change in progress, so that none reads profiles another is replacing. */
  #serially<T>(change: () => Promise<T>): Promise<T> {
    const result = this.#changing.then(change);
    this.#changing = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Writes `profiles` and makes them current once they are on disk. */
  async #save(profiles: ClusterProfile[]): Promise<void> {
    const text = `${JSON.stringify({ format: 'switchyard-cluster-registry', version: 1, clusters: profiles } satisfies z.input<typeof registryFile>, null, 2)}\n`;
    await writeFileAtomically(this.path, text, registryMode);
    this.#profiles = profiles;
  }
}

function parseInput(input: ClusterInput): ClusterInput {
  const parsed = clusterInput.safeParse(input);
  if (!parsed.success) throw new Error(describeIssue(parsed.error.issues[0]!));
  return parsed.data;
}
