import type { ClusterHealth, ClusterInput, ClusterProfile, ClusterView } from '../../../shared/clusters.js';
import type { Credentials } from '../../../shared/ipc.js';
import type { UpstreamOpener } from '../gateway/Upstream.js';
import type { SecretStore } from '../secrets/SecretStore.js';
import { ClusterLink } from './ClusterLink.js';
import type { ClusterRegistry } from './ClusterRegistry.js';
import type { HostKeyTrust } from './HostKeyTrust.js';

export interface ClusterServiceOptions {
  registry: ClusterRegistry;
  secrets: SecretStore;
  /** The opener of each connection kind: `direct` (`openDirectUpstream`) and `ssh` (`SshUpstream`). */
  openers: Partial<Record<ClusterProfile['connection']['kind'], UpstreamOpener>>;
  /** The SSH known-hosts store the `ssh` opener checks (`KnownHosts`). */
  hostKeys: HostKeyTrust;
  /** The last known health of a cluster (kept by the health monitor). */
  health: (clusterId: string) => ClusterHealth;
  /** The clock access tokens are timed by. Default `Date.now`. */
  now?: () => number;
  /** How long before expiry access tokens are refreshed. Default 60 000 ms (see `ClusterSession`). */
  refreshMarginMs?: number;
}

/**
 * The cluster registry as the desktop app's IPC layer calls it (`ClustersBridge` minus the file
 * dialogs): profiles, credentials and host keys of every cluster, each cluster's `ClusterLink` for
 * the gateway, and one change notification for all of it. Every method throws an `Error` whose
 * message can be shown to the user as it is.
 */
export class ClusterService {
  readonly #options: ClusterServiceOptions;
  readonly #links = new Map<string, ClusterLink>();
  readonly #listeners = new Set<(clusters: ClusterView[]) => void>();
  #notifying = false;

  private constructor(options: ClusterServiceOptions) {
    this.#options = options;
  }

  /** A service over the registry's profiles, with each cluster's stored credential loaded. */
  static async open(options: ClusterServiceOptions): Promise<ClusterService> {
    const service = new ClusterService(options);
    for (const profile of options.registry.list()) await service.#link(profile);
    return service;
  }

  /** The link of a cluster, for the gateway; undefined for an unknown id. */
  link(id: string): ClusterLink | undefined {
    return this.#links.get(id);
  }

  /** Every cluster as the renderer sees it. Starts asking agents who unidentified credentials are (the answer comes by `onChange`). */
  list(): ClusterView[] {
    return [...this.#links.values()].map((link) => {
      if (link.session.credential !== 'none' && !link.session.principal) void link.session.identify();
      return this.#view(link);
    });
  }

  async add(input: ClusterInput, id?: string): Promise<ClusterView> {
    const profile = await this.#options.registry.add(input, id);
    const link = await this.#link(profile);
    this.#changed();
    return this.#view(link);
  }

  async update(id: string, input: ClusterInput): Promise<ClusterView> {
    const link = this.#require(id);
    const before = link.profile.connection;
    const profile = await this.#options.registry.update(id, input);
    const after = profile.connection;
    if (before.kind === 'ssh' && (after.kind !== 'ssh' || after.host !== before.host || after.port !== before.port)) await this.#options.hostKeys.forget(id);
    await link.update(profile);
    this.#changed();
    return this.#view(link);
  }

  /** Signs out (revoking a session when the agent can be reached), forgets the profile, its secrets and its host key. */
  async remove(id: string): Promise<void> {
    const link = this.#require(id);
    await link.session.signOut();
    await this.#options.registry.remove(id);
    await this.#options.hostKeys.forget(id);
    this.#links.delete(id);
    await link.close();
    this.#changed();
  }

  async signIn(id: string, credentials: Credentials): Promise<ClusterView> {
    const link = this.#require(id);
    await link.session.signIn(credentials);
    return this.#view(link);
  }

  /** Creates the first admin with the agent's one-time `setupToken` (the embedded agent prints it), then keeps that session. */
  async setUp(id: string, credentials: Credentials, setupToken: string): Promise<ClusterView> {
    const link = this.#require(id);
    await link.session.setUp(setupToken, credentials);
    return this.#view(link);
  }

  async useApiKey(id: string, apiKey: string): Promise<ClusterView> {
    const link = this.#require(id);
    await link.session.useApiKey(apiKey.trim());
    return this.#view(link);
  }

  async signOut(id: string): Promise<ClusterView> {
    const link = this.#require(id);
    await link.session.signOut();
    return this.#view(link);
  }

  /** Keeps the SSH key's passphrase in the keychain; the next connection uses it. */
  async setKeyPassphrase(id: string, passphrase: string): Promise<ClusterView> {
    const link = this.#require(id);
    if (link.profile.connection.kind !== 'ssh') throw new Error(`cluster ${link.profile.name} is not reached over SSH: it has no key passphrase`);
    if (passphrase === '') await this.#options.secrets.delete(id, 'sshPassphrase');
    else await this.#options.secrets.set(id, 'sshPassphrase', passphrase);
    await link.update(link.profile);
    this.#changed();
    return this.#view(link);
  }

  /** Trusts the host key waiting in `pendingHostKey`; `fingerprint` must be the one shown. */
  async trustHostKey(id: string, fingerprint: string): Promise<ClusterView> {
    const link = this.#require(id);
    const pending = link.pendingHostKey;
    if (!pending) throw new Error(`cluster ${link.profile.name} has no host key waiting for confirmation`);
    if (pending.fingerprint !== fingerprint) throw new Error(`the host key waiting for cluster ${link.profile.name} is ${pending.fingerprint}, not ${fingerprint}: connect again and check the key shown`);
    await this.#options.hostKeys.trustPending(id, pending.fingerprint);
    link.hostKeyTrusted();
    return this.#view(link);
  }

  /** Writes every profile (no secrets) to `path`; answers how many. */
  exportProfiles(path: string): Promise<number> {
    return this.#options.registry.exportTo(path);
  }

  /** Adds the profiles of the export file at `path`; answers how many. */
  async importProfiles(path: string): Promise<number> {
    const added = await this.#options.registry.importFrom(path);
    for (const profile of added) await this.#link(profile);
    this.#changed();
    return added.length;
  }

  /** Calls `listener` with every cluster after any change; returns the unsubscribe. */
  onChange(listener: (clusters: ClusterView[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells listeners that health changed (the health monitor calls this after a check). */
  healthChanged(): void {
    this.#changed();
  }

  /** Closes every upstream and stops every refresh schedule. */
  async close(): Promise<void> {
    this.#listeners.clear();
    const links = [...this.#links.values()];
    this.#links.clear();
    await Promise.all(links.map((link) => link.close()));
  }

  async #link(profile: ClusterProfile): Promise<ClusterLink> {
    const { secrets, openers, now, refreshMarginMs } = this.#options;
    const link = new ClusterLink({ profile, openers, secrets, onChange: () => this.#changed(), ...(now && { now }), ...(refreshMarginMs !== undefined && { refreshMarginMs }) });
    await link.session.load();
    this.#links.set(profile.id, link);
    return link;
  }

  #require(id: string): ClusterLink {
    const link = this.#links.get(id);
    if (!link) throw new Error(`there is no cluster ${id}`);
    return link;
  }

  #view(link: ClusterLink): ClusterView {
    const health = this.#options.health(link.profile.id);
    const refusal = link.hostKeyRefusal;
    return {
      profile: structuredClone(link.profile),
      credential: link.session.credential,
      principal: link.session.principal && { ...link.session.principal },
      pendingHostKey: link.pendingHostKey && { ...link.pendingHostKey },
      health: refusal ? { ...health, state: 'down', problem: refusal } : health,
    };
  }

  /** Notifies listeners once per turn of the event loop, however many changes happened in it. */
  #changed(): void {
    if (this.#notifying || this.#listeners.size === 0) return;
    this.#notifying = true;
    queueMicrotask(() => {
      this.#notifying = false;
      const clusters = this.list();
      for (const listener of this.#listeners) listener(clusters);
    });
  }
}
