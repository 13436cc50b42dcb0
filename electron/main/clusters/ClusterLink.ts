import type { ClusterProfile, PendingHostKey } from '../../../shared/clusters.js';
import { ChangedHostKeyError, UnknownHostKeyError, type Upstream, type UpstreamOpener } from '../gateway/Upstream.js';
import type { SecretStore } from '../secrets/SecretStore.js';
import { ClusterSession } from './ClusterSession.js';

export interface ClusterLinkOptions {
  profile: ClusterProfile;
  /** The opener of each connection kind (`direct`, `ssh`). */
  openers: Partial<Record<ClusterProfile['connection']['kind'], UpstreamOpener>>;
  secrets: SecretStore;
  /** Called when the pending host key, the host-key refusal, the credential or the principal changes. */
  onChange: () => void;
  now?: () => number;
  refreshMarginMs?: number;
}

/**
 * The app's link to one cluster: its profile, its upstream (opened on first use, shared by every
 * request, and opened again after a failure) and its `ClusterSession`. An SSH host key the
 * opener has not seen becomes `pendingHostKey` until the user trusts it; a changed one becomes
 * `hostKeyRefusal`.
 */
export class ClusterLink {
  readonly session: ClusterSession;
  #profile: ClusterProfile;
  #upstream: Upstream | undefined;
  #opening: Promise<Upstream> | undefined;
  #pendingHostKey: PendingHostKey | null = null;
  #hostKeyRefusal: string | null = null;
  #closed = false;

  constructor(private readonly options: ClusterLinkOptions) {
    this.#profile = options.profile;
    this.session = new ClusterSession({
      clusterId: options.profile.id,
      secrets: options.secrets,
      upstream: () => this.upstream(),
      onChange: options.onChange,
      ...(options.now && { now: options.now }),
      ...(options.refreshMarginMs !== undefined && { refreshMarginMs: options.refreshMarginMs }),
    });
  }

  get profile(): ClusterProfile {
    return this.#profile;
  }

  get pendingHostKey(): PendingHostKey | null {
    return this.#pendingHostKey;
  }

  /** Why the last opening was refused for a changed SSH host key, or null. */
  get hostKeyRefusal(): string | null {
    return this.#hostKeyRefusal;
  }

  /** The upstream, opened now when there is none; callers at the same time share one opening. */
  upstream(): Promise<Upstream> {
    if (this.#closed) return Promise.reject(new Error(`cluster ${this.#profile.id} is closed`));
    if (this.#upstream) return Promise.resolve(this.#upstream);
    this.#opening ??= this.#open().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  /** Drops `upstream` after it failed (closing it), so that the next request opens a new one. */
  async discard(upstream: Upstream): Promise<void> {
    if (this.#upstream !== upstream) return;
    this.#upstream = undefined;
    // A tunnel that reconnected by itself may have met a changed host key: show the refusal now.
    if (upstream.lastError instanceof ChangedHostKeyError) this.#setHostKeyState(null, upstream.lastError.message);
    await upstream.close().catch(() => undefined);
  }

  /** Takes the edited profile; the next request opens an upstream to where it now points. */
  async update(profile: ClusterProfile): Promise<void> {
    this.#profile = profile;
    this.#setHostKeyState(null, null);
    const previous = this.#upstream;
    this.#upstream = undefined;
    await previous?.close().catch(() => undefined);
  }

  /** Forgets the pending key after the user trusted it; the next request opens the tunnel again. */
  hostKeyTrusted(): void {
    this.#setHostKeyState(null, null);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.session.close();
    const opening = this.#opening;
    const upstream = this.#upstream;
    this.#upstream = undefined;
    await upstream?.close().catch(() => undefined);
    const late = await opening?.catch(() => undefined);
    await late?.close().catch(() => undefined);
  }

  async #open(): Promise<Upstream> {
    const profile = this.#profile;
    const opener = this.options.openers[profile.connection.kind];
    if (!opener) throw new Error(`this app cannot open ${profile.connection.kind} connections`);
    let upstream: Upstream;
    try {
      upstream = await opener(profile);
    } catch (error) {
      if (error instanceof UnknownHostKeyError) this.#setHostKeyState({ fingerprint: error.fingerprint, algorithm: error.algorithm }, null);
      if (error instanceof ChangedHostKeyError) this.#setHostKeyState(null, error.message);
      throw error;
    }
    if (this.#closed || profile !== this.#profile) {
      await upstream.close().catch(() => undefined);
      throw new Error(`cluster ${profile.id} changed while its connection was opening; try again`);
    }
    this.#setHostKeyState(null, null);
    this.#upstream = upstream;
    return upstream;
  }

  #setHostKeyState(pending: PendingHostKey | null, refusal: string | null): void {
    const changed = pending?.fingerprint !== this.#pendingHostKey?.fingerprint || refusal !== this.#hostKeyRefusal;
    this.#pendingHostKey = pending;
    this.#hostKeyRefusal = refusal;
    if (changed) this.options.onChange();
  }
}
